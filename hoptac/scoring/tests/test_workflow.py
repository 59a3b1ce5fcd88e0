"""The workflow through the services: self-score → review → approval, who may do each step, the
evidence and survey requirements, locking, reopening, exclusions, history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.core.review import transition
from hoptac.registry.models import StatusChange
from hoptac.scoring import errors, selectors, services
from hoptac.scoring.choices import AssessmentState, Band, EventAction
from hoptac.scoring.models import Assessment, CriterionScore

from .factories import SurveyFactory, full_points, notes_for

pytestmark = pytest.mark.django_db


def start(people, key="b", year=2024):
    return services.assessment_create(user=people["province"], organisation=people[key], year=year)


def submit_full(people, assessment, user=None, share=Decimal("0.8")):
    points = full_points(assessment, share=share)
    services.assessment_self_save(
        user=user or people["representative_b"],
        assessment=assessment,
        points=points,
        notes=notes_for(points),
        submit=True,
    )
    assessment.refresh_from_db()
    return points


def test_the_scheme_is_chosen_by_kind_sector_and_year(people):
    assert start(people, "a").scheme.code == "TT09_2017_NN"  # agricultural HTX, 2024
    assert start(people, "b").scheme.code == "TT01_2020"  # industry, 2024
    assert start(people, "b", year=2025).scheme.code == "TINH_2025"  # the province's own from 2025


def test_start_proposes_points_from_the_yearly_data(people):
    assessment = start(people, "a")  # revenue 2.5 tỷ, profit 150 tr over 150 official members
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    assert scores["C1b"].proposed_points == 6 and scores["C1b"].metric_value == 2_500_000_000
    assert (scores["C1c"].proposed_points, scores["C1c"].metric_value) == (4, 1_000_000)
    assert scores["C1a"].proposed_points is None  # needs the planned revenue, entered by hand
    assert scores["C1b"].self_points == 6  # the self-score starts from the proposal
    tt01 = start(people, "b")
    growth = tt01.scores.get(criterion__code="TC1b")
    assert growth.metric_value == 500_000_000 and growth.proposed_points == 1  # 3.5 → 4 tỷ


def test_the_whole_way_from_self_score_to_approval(people):
    assessment = start(people)
    points = submit_full(people, assessment)
    assert assessment.state == AssessmentState.SUBMITTED
    assert assessment.submitted_by == people["representative_b"]
    assert assessment.self_total == sum(points.values())
    official = dict(points) | {"TC5": points["TC5"] - 2}
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_save(
            user=people["commune_b"], assessment=assessment, points=official, finish=True
        )
    assert caught.value.message_dict["points_TC5"] == [str(errors.CHANGE_REASON_REQUIRED)]
    services.assessment_review_save(
        user=people["commune_b"],
        assessment=assessment,
        points=official,
        reasons={"TC5": "Chưa nộp báo cáo đúng hạn"},
        finish=True,
    )
    assessment.refresh_from_db()
    assert (
        assessment.state == AssessmentState.REVIEWED
        and assessment.official_total == assessment.self_total - 2
    )
    transition(assessment, "approve", user=people["province"])
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED
    assert assessment.band in (Band.GOOD, Band.FAIR, Band.AVERAGE, Band.WEAK)
    assert assessment.band == services.engine.band_for(assessment.official_total, assessment.scheme.bands)
    assert [e.action for e in assessment.events.all()] == [
        EventAction.START, EventAction.SUBMIT, EventAction.REVIEW, EventAction.APPROVE
    ]  # fmt: skip
    tc5 = assessment.scores.get(criterion__code="TC5")
    assert (tc5.self_points - tc5.official_points, tc5.change_reason) == (2, "Chưa nộp báo cáo đúng hạn")
    # Who changed what is in the history.
    users = set(CriterionScore.history.filter(id=tc5.pk).values_list("history_user__username", flat=True))
    assert {people["representative_b"].username, people["commune_b"].username} <= users
    assert (
        Assessment.history.filter(id=assessment.pk, state="approved").first().history_user
        == people["province"]
    )


def test_a_representative_cannot_review_or_approve(people):
    assessment = start(people)
    submit_full(people, assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_review_save(
            user=people["representative_b"], assessment=assessment, points={}, finish=True
        )
    services.assessment_review_save(user=people["commune_b"], assessment=assessment, points={}, finish=True)
    assessment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        transition(assessment, "approve", user=people["representative_b"])
    with pytest.raises(PermissionDenied):
        transition(assessment, "approve", user=people["commune_b"])
    with pytest.raises(PermissionDenied):
        transition(assessment, "approve", user=people["viewer"])
    transition(assessment, "approve", user=people["province"])


def test_a_commune_officer_cannot_act_outside_their_communes(people):
    assessment = start(people)  # Giao Xuân; people["commune"] only has Hải Minh
    with pytest.raises(PermissionDenied):
        services.assessment_self_save(user=people["commune"], assessment=assessment, points={})
    submit_full(people, assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_review_save(user=people["commune"], assessment=assessment, points={}, finish=True)
    with pytest.raises(PermissionDenied):
        transition(assessment, "return", user=people["commune"], comment="x")
    with pytest.raises(PermissionDenied):
        services.assessment_create(user=people["commune"], organisation=people["b"], year=2023)
    result = services.evaluation_year_start(user=people["commune"], year=2023)
    assert [a.organisation for a in result.created] == [people["a"]]


def test_a_representative_only_scores_their_own_organisation(people):
    assessment = start(people)
    with pytest.raises(PermissionDenied):
        services.assessment_self_save(user=people["representative"], assessment=assessment, points={})
    with pytest.raises(PermissionDenied):
        services.evaluation_year_start(user=people["representative_b"], year=2024)


def test_steps_happen_in_order(people):
    assessment = start(people)
    with pytest.raises(ValidationError, match="not possible while"):
        transition(assessment, "approve", user=people["province"])
    with pytest.raises(ValidationError, match="not possible while"):
        services.assessment_review_save(user=people["commune_b"], assessment=assessment, points={})
    submit_full(people, assessment)
    with pytest.raises(ValidationError, match="not possible while"):
        services.assessment_self_save(user=people["representative_b"], assessment=assessment, points={})


def test_submission_needs_every_point_and_evidence_for_points_by_hand(people):
    assessment = start(people)
    points = full_points(assessment)
    partial = dict(points)
    del partial["TC5"]
    services.assessment_self_save(user=people["representative_b"], assessment=assessment, points=partial)
    with pytest.raises(ValidationError) as caught:
        transition(assessment, "submit", user=people["representative_b"])
    assert str(errors.POINTS_MISSING) in caught.value.message_dict["points_TC5"]
    assert str(errors.EVIDENCE_REQUIRED) in caught.value.message_dict["points_TC1a"]
    assert "points_TC1b" not in caught.value.message_dict  # computed: the data are the evidence
    services.assessment_self_save(
        user=people["representative_b"],
        assessment=assessment,
        points=points,
        notes=notes_for(points),
        submit=True,
    )
    assert assessment.state == AssessmentState.SUBMITTED


def test_points_above_the_cap_or_the_shared_pool_are_refused(people):
    assessment = start(people)
    with pytest.raises(ValidationError) as caught:
        services.assessment_self_save(
            user=people["representative_b"], assessment=assessment, points={"TC1a": 7, "TC10": 20, "TC11": 21}
        )
    problems = caught.value.message_dict
    assert problems["points_TC1a"] == [str(errors.POINTS_ABOVE_MAX % {"max": "6"})]
    assert "share 40 points" in problems["__all__"][0]
    with pytest.raises(ValidationError):
        services.assessment_self_save(
            user=people["representative_b"], assessment=assessment, points={"XX": 1}
        )


def test_tt09_needs_the_member_survey_before_submitting(people):
    assessment = start(people, "a")
    points = full_points(assessment)
    with pytest.raises(ValidationError) as caught:
        services.assessment_self_save(
            user=people["representative"],
            assessment=assessment,
            points=points,
            notes=notes_for(points),
            submit=True,
        )
    assert "survey of 2024" in caught.value.message_dict["__all__"][0]
    survey = services.survey_save(
        user=people["representative"],
        organisation=people["a"],
        year=2024,
        data={
            "conducted_on": datetime.date(2024, 11, 5),
            "members_asked": 150,
            "respondents": 120,
            "satisfied": 90,
            "partly_satisfied": 25,
            "not_satisfied": 5,
            "method": "Hội nghị thành viên",
        },
    )
    assert (survey.satisfied_pct, survey.response_pct) == (Decimal("75.0"), Decimal("80.0"))
    transition(assessment, "submit", user=people["representative"])
    assert assessment.state == AssessmentState.SUBMITTED


def test_the_survey_must_add_up(people):
    with pytest.raises(ValidationError) as caught:
        services.survey_save(
            user=people["representative"],
            organisation=people["a"],
            year=2024,
            data={
                "conducted_on": datetime.date(2024, 11, 5),
                "members_asked": 100,
                "respondents": 120,
                "satisfied": 90,
                "partly_satisfied": 25,
                "not_satisfied": 0,
            },
        )
    assert caught.value.message_dict == {
        "respondents": [str(errors.SURVEY_SUM)],
        "members_asked": [str(errors.SURVEY_MORE_RESPONDENTS)],
    }
    with pytest.raises(PermissionDenied):
        services.survey_save(user=people["representative_b"], organisation=people["a"], year=2024, data={})


def approved(people, key="b", share=Decimal("0.8")):
    assessment = start(people, key)
    if key == "a":
        SurveyFactory(organisation=people["a"], year=2024)
    submit_full(
        people, assessment, user=people["representative" if key == "a" else "representative_b"], share=share
    )
    reviewer = people["commune" if key == "a" else "commune_b"]
    services.assessment_review_save(user=reviewer, assessment=assessment, points={}, finish=True)
    transition(assessment, "approve", user=people["province"])
    assessment.refresh_from_db()
    return assessment


def test_an_approved_rating_is_locked(people):
    assessment = approved(people)
    for user in (people["representative_b"], people["commune_b"], people["province"]):
        with pytest.raises(ValidationError) as caught:
            services.assessment_self_save(user=user, assessment=assessment, points={"TC5": 1})
        assert caught.value.messages == [str(errors.LOCKED)]
    with pytest.raises(ValidationError, match="locked"):
        services.assessment_review_save(user=people["province"], assessment=assessment, points={"TC5": 1})
    with pytest.raises(ValidationError, match="locked"):
        services.survey_save(user=people["province"], organisation=people["b"], year=2024, data={})


def test_reopening_needs_a_reason_and_goes_through_approval_again(people):
    assessment = approved(people)
    band = assessment.band
    with pytest.raises(PermissionDenied):
        transition(assessment, "reopen", user=people["commune_b"], comment="Sai số liệu")
    with pytest.raises(ValidationError) as caught:
        transition(assessment, "reopen", user=people["province"], comment="  ")
    assert caught.value.message_dict == {"comment": [str(errors.REASON_REQUIRED)]}
    transition(assessment, "reopen", user=people["province"], comment="Thanh tra phát hiện sai số liệu")
    assessment.refresh_from_db()
    assert (assessment.state, assessment.band) == (AssessmentState.REOPENED, None)
    assert not Assessment.objects.filter(year=2024, state="approved", band__in=["good", "fair"]).exists()
    with pytest.raises(ValidationError, match="not possible while"):
        transition(assessment, "approve", user=people["province"])
    lowered = {"TC5": 0, "TC6": 0, "TC8": 0}
    services.assessment_review_save(
        user=people["commune_b"],
        assessment=assessment,
        points=lowered,
        reasons=dict.fromkeys(lowered, "Vi phạm theo kết luận thanh tra"),
        finish=True,
    )
    transition(assessment, "approve", user=people["province"])
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED
    assert assessment.official_total < assessment.self_total
    assert band is not None
    reopen = assessment.events.get(action=EventAction.REOPEN)
    assert (reopen.user, reopen.note) == (people["province"], "Thanh tra phát hiện sai số liệu")


def test_returning_sends_back_one_step_with_a_reason(people):
    assessment = start(people)
    submit_full(people, assessment)
    with pytest.raises(ValidationError):
        transition(assessment, "return", user=people["commune_b"], comment="")
    transition(assessment, "return", user=people["commune_b"], comment="Thiếu báo cáo tài chính")
    assert assessment.state == AssessmentState.RETURNED
    transition(assessment, "submit", user=people["representative_b"])
    services.assessment_review_save(user=people["commune_b"], assessment=assessment, points={}, finish=True)
    with pytest.raises(PermissionDenied):  # once reviewed, only the province returns it
        transition(assessment, "return", user=people["commune_b"], comment="x")
    transition(assessment, "return", user=people["province"], comment="Xem lại tiêu chí 5")
    assert assessment.state == AssessmentState.SUBMITTED


def test_operating_under_12_months_is_not_rated_without_points(people):
    organisation = people["b"]
    organisation.registration_date = datetime.date(2024, 3, 1)
    organisation.founding_date = datetime.date(2024, 2, 20)
    organisation.save()
    assessment = start(people)
    transition(assessment, "submit", user=people["representative_b"])
    services.assessment_review_save(user=people["commune_b"], assessment=assessment, points={}, finish=True)
    transition(assessment, "approve", user=people["province"])
    assessment.refresh_from_db()
    assert (assessment.band, assessment.exclusion_code) == (Band.NOT_RATED, "under_12_months")


def test_stopped_over_3_months_is_not_rated(people):
    StatusChange.objects.create(
        organisation=people["b"], status="suspended", effective_from=datetime.date(2024, 6, 1)
    )
    StatusChange.objects.create(
        organisation=people["b"], status="active", effective_from=datetime.date(2024, 10, 1)
    )
    assessment = start(people)
    assert selectors.current_exclusion(assessment)["code"] == "stopped_over_3_months"


def test_an_administrative_fine_rates_weak_whatever_the_score(people):
    assessment = start(people, "a")
    SurveyFactory(organisation=people["a"], year=2024)
    submit_full(people, assessment, user=people["representative"], share=Decimal(1))
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_save(
            user=people["commune"], assessment=assessment, points={}, administrative_fine=True, finish=True
        )
    assert "fine_note" in caught.value.message_dict
    services.assessment_review_save(
        user=people["commune"],
        assessment=assessment,
        points={},
        administrative_fine=True,
        fine_note="Quyết định 45/QĐ-XPHC ngày 12/5/2024",
        finish=True,
    )
    transition(assessment, "approve", user=people["province"])
    assessment.refresh_from_db()
    assert assessment.official_total >= 65
    assert (assessment.band, assessment.exclusion_code) == (Band.WEAK, "administrative_fine")


def test_bulk_start_creates_once_and_skips_what_is_not_rated(people):
    from hoptac.registry.tests.factories import OrganisationFactory

    OrganisationFactory(kind="tht", commune_legacy=people["a"].commune_legacy)
    OrganisationFactory(kind="qtdnd", sector="credit", commune_legacy=people["a"].commune_legacy)
    result = services.evaluation_year_start(user=people["province"], year=2024)
    assert sorted(a.organisation.name for a in result.created) == sorted([people["a"].name, people["b"].name])
    again = services.evaluation_year_start(user=people["province"], year=2024)
    assert (len(again.created), again.already) == (0, 2)
    assert Assessment.objects.filter(year=2024).count() == 2
    assert all(a.events.count() == 1 for a in Assessment.objects.all())
    with pytest.raises(ValidationError):
        services.evaluation_year_start(user=people["province"], year=datetime.date.today().year + 1)


def test_changing_the_scheme_before_submission(people):
    assessment = start(people, "a")
    tt01 = assessment.scheme.__class__.objects.get(code="TT01_2020")
    with pytest.raises(PermissionDenied):
        services.assessment_change_scheme(user=people["representative"], assessment=assessment, scheme=tt01)
    services.assessment_change_scheme(user=people["commune"], assessment=assessment, scheme=tt01)
    assert assessment.scheme == tt01 and assessment.scores.count() == 23
    tinh = assessment.scheme.__class__.objects.get(code="TINH_2025")
    with pytest.raises(ValidationError):
        services.assessment_change_scheme(user=people["commune"], assessment=assessment, scheme=tinh)
