from rest_framework.routers import DefaultRouter

from .reference import ReferenceSeriesViewSet
from .views import PlanViewSet

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("reference-series", ReferenceSeriesViewSet, basename="reference-series")
