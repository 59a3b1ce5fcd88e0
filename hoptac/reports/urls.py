from django.urls import include, path

from . import views

app_name = "reports"
urlpatterns = [
    path("import/", views.ImportStartView.as_view(), name="import_start"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("import/<int:pk>/progress.json", views.ImportProgressView.as_view(), name="import_progress"),
    path("import/<int:pk>/annotated.xlsx", views.ImportAnnotatedView.as_view(), name="import_annotated"),
    path("annual/", include("hoptac.reports.annual_urls")),
]
