from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation_list"),
    path("export.xlsx", views.OrganisationExportView.as_view(), name="organisation_export"),
    path("years/", views.YearlyReportListView.as_view(), name="yearly_report_list"),
    path("years/export.xlsx", views.YearlyReportExportView.as_view(), name="yearly_report_export"),
    path("new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_update"),
    path("<int:pk>/status/new/", views.StatusChangeCreateView.as_view(), name="status_change_create"),
    path("<int:pk>/years/new/", views.YearlyReportCreateView.as_view(), name="yearly_report_create"),
    path("<int:pk>/years/<int:year>/", views.YearlyReportUpdateView.as_view(), name="yearly_report_update"),
    path(
        "<int:pk>/years/<int:year>/review/",
        views.YearlyReportReviewView.as_view(),
        name="yearly_report_review",
    ),
    path("yearly-reviews/", views.YearlyReviewListView.as_view(), name="yearly_review_list"),
]
