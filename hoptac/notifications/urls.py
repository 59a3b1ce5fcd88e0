from django.urls import path

from . import export_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("preferences/", views.PreferenceView.as_view(), name="preferences"),
    path("exports/<int:pk>/", export_views.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/download/", export_views.ExportJobDownloadView.as_view(), name="export_download"),
]
