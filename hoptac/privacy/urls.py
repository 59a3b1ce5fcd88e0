from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/export.xlsx", views.RequestExportView.as_view(), name="request_export"),
]
