from rest_framework.routers import DefaultRouter

from .views import AssessmentViewSet, RatingResultViewSet, SchemeViewSet, SurveyViewSet

router = DefaultRouter()
router.register("scoring-schemes", SchemeViewSet, basename="scoring-scheme")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("rating-results", RatingResultViewSet, basename="rating-result")
router.register("satisfaction-surveys", SurveyViewSet, basename="satisfaction-survey")
