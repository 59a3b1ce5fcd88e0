from django.urls import path

from . import views

app_name = "scoring"
urlpatterns = [
    path("", views.CalendarView.as_view(), name="calendar"),
    path("start/", views.YearStartView.as_view(), name="year_start"),
    path("results/", views.ResultsView.as_view(), name="results"),
    path("results/export.xlsx", views.ResultsExportView.as_view(), name="results_export"),
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/upload/", views.SchemeUploadView.as_view(), name="scheme_upload"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/file.yaml", views.SchemeFileView.as_view(), name="scheme_file"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/self/", views.AssessmentSelfView.as_view(), name="assessment_self"),
    path("assessments/<int:pk>/review/", views.AssessmentReviewView.as_view(), name="assessment_review"),
    path("assessments/<int:pk>/scheme/", views.AssessmentSchemeView.as_view(), name="assessment_scheme"),
    path("assessments/<int:pk>/evidence/new/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("assessments/<int:pk>/survey/", views.SurveyView.as_view(), name="survey"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationAssessmentsView.as_view(),
        name="organisation_assessments",
    ),
    path("organisations/<int:pk>/start/", views.OrganisationStartView.as_view(), name="organisation_start"),
    path(
        "organisations/<int:pk>/<int:year>/", views.OrganisationYearView.as_view(), name="organisation_year"
    ),
]
