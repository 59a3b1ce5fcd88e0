from django.urls import path

from . import annual_views

# Included by hoptac/reports/urls.py under "annual/" (names in the "reports" namespace).
urlpatterns = [
    path("<slug:code>/", annual_views.AnnualReportFormView.as_view(), name="annual_form"),
    path("<slug:code>/download/", annual_views.AnnualReportDownloadView.as_view(), name="annual_download"),
]
