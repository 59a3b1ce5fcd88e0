from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.CalendarView.as_view(), name="calendar"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("export.xlsx", views.ExportView.as_view(), name="export"),
    path("yearly-data/", views.YearlyDataView.as_view(), name="yearly_data"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/assign/", views.TaskAssignView.as_view(), name="task_assign"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period_detail"),
    path("periods/<int:pk>/report/", views.ReportEditView.as_view(), name="report_edit"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.AttachmentDeleteView.as_view(), name="attachment_delete"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/<slug:code>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("agencies/<slug:code>/merge/", views.AgencyMergeView.as_view(), name="agency_merge"),
]
