from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("annual/", include("hoptac.reports.annual_urls")),
]
