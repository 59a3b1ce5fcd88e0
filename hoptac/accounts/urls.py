from django.urls import path

from . import audit_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("audit/", audit_views.AuditListView.as_view(), name="audit_list"),
    path("audit/export.xlsx", audit_views.AuditExportView.as_view(), name="audit_export"),
]
