from django.urls import path

from . import reference_views, views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("<slug:code>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<slug:code>/reference/", reference_views.ReferenceDataView.as_view(), name="reference_data"),
    path("<slug:code>/areas/", views.PlanAreasView.as_view(), name="plan_areas"),
    path("<slug:code>/areas/export.xlsx", views.PlanAreasExportView.as_view(), name="plan_areas_export"),
    path("<slug:code>/export.xlsx", views.PlanExportView.as_view(), name="plan_export"),
    path("<slug:code>/targets/<str:target>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("<slug:code>/targets/<str:target>/assess/", views.TargetAssessView.as_view(), name="target_assess"),
]
