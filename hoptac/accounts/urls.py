from django.urls import path

from . import audit_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.LoginCodeView.as_view(), name="login_code"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("audit/", audit_views.AuditListView.as_view(), name="audit_list"),
    path("audit/export.xlsx", audit_views.AuditExportView.as_view(), name="audit_export"),
]
