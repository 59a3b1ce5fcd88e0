from rest_framework.routers import DefaultRouter

from .annual_views import PlanAnnualReportViewSet

router = DefaultRouter()
# /plans/{id}/annual-report/ (name "plan-annual-report"): the report sits under the plan it reports on.
router.register("plans", PlanAnnualReportViewSet, basename="plan")
