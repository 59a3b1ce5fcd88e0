from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("hoptac.desk.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("hoptac.accounts.urls")),
    path("notifications/", include("hoptac.notifications.urls")),
    path("registry/", include("hoptac.registry.urls")),
    path("areas/", include("hoptac.registry.area_urls")),
    path("scoring/", include("hoptac.scoring.urls")),
    path("plans/", include("hoptac.plans.urls")),
    path("tasks/", include("hoptac.tasks.urls")),
    path("imports/", include("hoptac.imports.urls")),
    path("reports/", include("hoptac.reports.urls")),
    path("privacy/", include("hoptac.privacy.urls")),
    path("api/v1/", include("hoptac.api_urls")),
]

# Under /api/ the errors Django answers itself (unknown URL, too-large body, CSRF, server error) are JSON too.
handler400 = "hoptac.core.errors.bad_request"
handler403 = "hoptac.core.errors.permission_denied"
handler404 = "hoptac.core.errors.page_not_found"
handler500 = "hoptac.core.errors.server_error"
