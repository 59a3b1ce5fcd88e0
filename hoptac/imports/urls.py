from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportStartView.as_view(), name="import_start"),
    path("template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("<int:pk>/progress.json", views.ImportProgressView.as_view(), name="import_progress"),
    path("<int:pk>/annotated.xlsx", views.ImportAnnotatedView.as_view(), name="import_annotated"),
]
