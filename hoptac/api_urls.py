"""REST API v1: /api/v1/. The OpenAPI 3 schema is at /api/v1/schema/, docs at /api/v1/docs/ (signed-in users
only, unless settings.API_SCHEMA_PUBLIC)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from hoptac.accounts.api import LogoutView, ObtainTokenView, SchemaAccess
from hoptac.areas.api.views import AdminUnitViewSet
from hoptac.imports.api.urls import router as imports_router
from hoptac.notifications.api import ExportJobViewSet, NotificationViewSet
from hoptac.plans.api.urls import router as plans_router
from hoptac.privacy.api import DataSubjectRequestViewSet
from hoptac.registry.api.views import OrganisationViewSet, YearlyReportViewSet
from hoptac.reports.api.urls import router as reports_router
from hoptac.scoring.api.urls import router as scoring_router
from hoptac.tasks.api.urls import router as tasks_router

# The schema and docs describe every endpoint: for signed-in users only, unless the installation makes them public.
SCHEMA_PERMISSIONS = [SchemaAccess]

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("yearly-reports", YearlyReportViewSet, basename="yearly-report")
router.register("areas", AdminUnitViewSet, basename="area")
router.register("data-requests", DataSubjectRequestViewSet, basename="data-request")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("exports", ExportJobViewSet, basename="export")

urlpatterns = [
    path("", include(router.urls)),
    path("", include(scoring_router.urls)),
    path("", include(plans_router.urls)),
    path("", include(tasks_router.urls)),
    path("", include(imports_router.urls)),
    path("", include(reports_router.urls)),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=SCHEMA_PERMISSIONS), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script): no inline script, as
    # the Content-Security-Policy requires (settings CONTENT_SECURITY_POLICY).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=SCHEMA_PERMISSIONS),
        name="api-docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", permission_classes=SCHEMA_PERMISSIONS),
        name="api-redoc",
    ),
]
