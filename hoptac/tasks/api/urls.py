from rest_framework.routers import DefaultRouter

from .views import (
    AgencyViewSet,
    CalendarItemViewSet,
    ProgressReportViewSet,
    ReportingPeriodViewSet,
    TaskAssignmentViewSet,
)

router = DefaultRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("task-assignments", TaskAssignmentViewSet, basename="task-assignment")
router.register("reporting-periods", ReportingPeriodViewSet, basename="reporting-period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("calendar-items", CalendarItemViewSet, basename="calendar-item")
