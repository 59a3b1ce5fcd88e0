"""A small world for the project-wide tests (the access matrix, the query counts): two communes, A and B,
each with an organisation and everything hanging off it (yearly data, an assessment with evidence, a
survey, the commune's People's Committee with reporting periods, a progress report with an attachment),
a plan with a qualitative target and a task, and one user per role whose scope is commune A.

Everything is made with the apps' factories and services, once per test module (see `module_world` in
hoptac/tests/conftest.py), so the tests only read it. Names carry ASCII markers ("Alphamatrix",
"Betamatrix") that a test can look for in a page, a JSON answer or a workbook.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from hoptac.accounts.models import Role, User
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.models import AdminUnit
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.core.datafiles import load_path
from hoptac.core.review import transition
from hoptac.core.testing import PDF
from hoptac.imports import services as report_services
from hoptac.imports.models import ImportJob
from hoptac.imports.tests.test_pages import GOOD, workbook
from hoptac.notifications import export_jobs
from hoptac.notifications.models import ExportJob
from hoptac.plans.models import Plan
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.scoring import services as scoring_services
from hoptac.scoring.choices import AssessmentState, Band
from hoptac.scoring.models import Assessment, Evidence, SatisfactionSurvey, Scheme
from hoptac.scoring.tests.factories import TT01, SurveyFactory, cooperative, load_shipped
from hoptac.tasks import services as task_services
from hoptac.tasks.choices import AgencyKind, ItemKind
from hoptac.tasks.models import (
    Agency,
    Attachment,
    Obligation,
    ProgressReport,
    ReportingPeriod,
    TaskAssignment,
)
from hoptac.tasks.tests.factories import AgencyFactory

PLAN_FILE = Path(__file__).resolve().parents[1] / "plans/tests/plans/ninh-binh-test-plan.yaml"
QUALITATIVE_TARGET = "Q1"
NUMERIC_TARGET = "C1"
YEAR = 2024  # the year of the assessments and surveys; yearly data exist for YEAR - 1 and YEAR
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The roles of the matrix: every Role, the viewer twice (without areas it sees the whole province).
ROLES = ["anonymous", "admin", "province", "commune", "representative", "viewer", "viewer_area"]


@dataclass
class Side:
    """What hangs off one commune: A is inside the users' scope, B outside."""

    marker: str
    commune: AdminUnit  # on the map before 1/7/2025
    commune_current: AdminUnit
    organisation: Organisation
    yearly_draft: YearlyReport  # YEAR - 1, draft
    yearly_submitted: YearlyReport  # YEAR, submitted for review
    assessment: Assessment  # YEAR, draft
    rated: Assessment  # YEAR - 1, approved: in the results and their export
    evidence: Evidence
    survey: SatisfactionSurvey
    agency: Agency  # the commune's People's Committee
    period: ReportingPeriod  # reported, submitted, with an attachment
    overdue_period: ReportingPeriod  # past due, nothing filed
    report: ProgressReport
    attachment: Attachment

    @property
    def organisation_name(self) -> str:
        return self.organisation.name

    @property
    def agency_name(self) -> str:
        return self.agency.name


@dataclass
class World:
    users: dict[str, User]
    sides: dict[str, Side]
    plan: Plan
    scheme: Scheme
    assignment: TaskAssignment
    coordinating: Agency
    jobs: dict[str, ImportJob]  # each signed-in role's own import, and "other": someone else's
    obligation: Obligation
    today: datetime.date
    added: list[Side] = field(default_factory=list)  # grow_world's organisations
    # Each signed-in role's own finished background export, and "other": someone else's.
    exports: dict[str, ExportJob] = field(default_factory=dict)

    def job(self, role: str, side: str) -> ImportJob:
        return self.jobs[role] if side == "in" else self.jobs["other"]

    def export(self, role: str, side: str) -> ExportJob:
        return self.exports[role] if side == "in" else self.exports["other"]


def finished_export(user: User) -> ExportJob:
    """The user's export of the registry list, written as the task worker writes it."""
    job = export_jobs.export_job_start(user=user, kind="registry.organisations", params=[])
    export_jobs.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE, job.error
    return job


def _side(
    marker: str, commune: AdminUnit | None, *, admin: User, today: datetime.date, obligation: Obligation
) -> Side:
    """An organisation in `commune` (None: the factory's next commune of Huyện Vụ Bản) with everything
    hanging off it, and a People's Committee of its commune with two periods."""
    place = {"commune_legacy": commune} if commune is not None else {}
    organisation = cooperative(name=f"Hợp tác xã {marker}", year=YEAR, **place)
    yearly_draft = organisation.yearly_reports.get(year=YEAR - 1)
    yearly_submitted = transition(organisation.yearly_reports.get(year=YEAR), "submit", user=admin)
    assessment = scoring_services.assessment_create(user=admin, organisation=organisation, year=YEAR)
    evidence = scoring_services.evidence_add(
        user=admin,
        assessment=assessment,
        file=SimpleUploadedFile(f"minh-chung-{marker}.pdf", PDF),
        description=f"Minh chứng {marker}",
    )
    survey = SurveyFactory(organisation=organisation, year=YEAR)
    rated = Assessment.objects.create(
        organisation=organisation,
        year=YEAR - 1,
        scheme=assessment.scheme,
        state=AssessmentState.APPROVED,
        band=Band.GOOD,
    )
    agency = AgencyFactory(
        code=f"ubnd-{marker.lower()}",
        name=f"Ủy ban nhân dân {marker}agency",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        area=organisation.commune_current,
    )
    period = ReportingPeriod.objects.create(
        obligation=obligation,
        agency=agency,
        kind=ItemKind.LOCAL_REPORT,
        every="",
        start=today - datetime.timedelta(days=60),
        end=today - datetime.timedelta(days=10),
        due=today - datetime.timedelta(days=5),
    )
    overdue_period = ReportingPeriod.objects.create(
        obligation=obligation,
        agency=agency,
        kind=ItemKind.LOCAL_REPORT,
        every="",
        start=today - datetime.timedelta(days=90),
        end=today - datetime.timedelta(days=40),
        due=today - datetime.timedelta(days=30),
    )
    report = task_services.progress_report_save(
        user=admin, period=period, data={"status": "in_progress", "text": f"Báo cáo {marker}"}, today=today
    )
    attachment = task_services.attachment_add(
        user=admin, report=report, file=SimpleUploadedFile(f"dinh-kem-{marker}.pdf", PDF)
    )
    report = transition(report, "submit", user=admin)
    period.refresh_from_db()
    return Side(
        marker=marker,
        commune=organisation.commune_legacy,
        commune_current=organisation.commune_current,
        organisation=organisation,
        yearly_draft=yearly_draft,
        yearly_submitted=yearly_submitted,
        assessment=assessment,
        rated=rated,
        evidence=evidence,
        survey=survey,
        agency=agency,
        period=period,
        overdue_period=overdue_period,
        report=report,
        attachment=attachment,
    )


def build_world(*, media_root) -> World:
    """Build the world (call it inside a transaction that is rolled back afterwards)."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media_root):
        return _build(timezone.localdate())


def _build(today: datetime.date) -> World:
    load_shipped()
    plan = load_path("plans", PLAN_FILE).obj
    coordinating = AgencyFactory(code="so-tai-chinh", name="Sở Tài chính", coordinates=True)
    task_services.assignments_ensure()
    assignment = TaskAssignment.objects.get(plan_task__plan=plan)
    obligation = Obligation.objects.create(
        code="bao-cao-cua-xa",
        name="Báo cáo tình hình kinh tế tập thể của xã",
        kind=ItemKind.LOCAL_REPORT,
        agency_kinds=[AgencyKind.COMMUNE_COMMITTEE],
    )
    admin = UserFactory(username="matrix-admin", role=Role.ADMIN, last_name="Quản trị")
    commune_a, commune_b = hai_minh_and_giao_xuan()
    sides = {
        "in": _side("Alphamatrix", commune_a, admin=admin, today=today, obligation=obligation),
        "out": _side("Betamatrix", commune_b, admin=admin, today=today, obligation=obligation),
    }
    a = sides["in"]
    users = {
        "admin": admin,
        "province": UserFactory(username="matrix-province", role=Role.PROVINCE, agency=coordinating),
        "commune": UserFactory(username="matrix-commune", role=Role.COMMUNE, areas=[a.commune_current]),
        "representative": UserFactory(
            username="matrix-representative", role=Role.REPRESENTATIVE, organisation=a.organisation
        ),
        "viewer": UserFactory(username="matrix-viewer", role=Role.VIEWER),
        "viewer_area": UserFactory(
            username="matrix-viewer-area", role=Role.VIEWER, areas=[a.commune_current]
        ),
    }
    other = UserFactory(username="matrix-other", role=Role.PROVINCE)
    checked = report_services.import_job_start(
        user=other, upload=SimpleUploadedFile("nhap-other.xlsx", workbook([GOOD]))
    )
    assert checked.state == ImportJob.State.CHECKED, checked.error
    jobs = {"other": checked}
    for role, user in users.items():
        jobs[role] = ImportJob.objects.create(
            user=user,
            file=checked.file.name,
            filename=f"nhap-{role}.xlsx",
            state=ImportJob.State.CHECKED,
            total=checked.total,
            done=checked.done,
            result=checked.result,
        )
    exports = {"other": finished_export(other)}
    for role, user in users.items():
        exports[role] = finished_export(user)
    return World(
        exports=exports,
        users=users,
        sides=sides,
        plan=plan,
        scheme=a.assessment.scheme,
        assignment=assignment,
        coordinating=coordinating,
        jobs=jobs,
        obligation=obligation,
        today=today,
    )


def grow_world(world: World, *, media_root) -> None:
    """About three times the rows: four more organisations with everything hanging off them and their
    committees (two in commune A, one in B, one elsewhere), two more plans, three more scheme versions and
    two more imports for every user. The province then sees 6 organisations instead of 2, the commune
    officer 3 instead of 1."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media_root):
        admin = world.users["admin"]
        a, b = world.sides["in"], world.sides["out"]
        for number, commune in enumerate([a.commune, a.commune, b.commune, None], start=1):
            world.added.append(
                _side(
                    f"Gammamatrix{number}",
                    commune,
                    admin=admin,
                    today=world.today,
                    obligation=world.obligation,
                )
            )
        text = PLAN_FILE.read_text(encoding="utf-8")
        for suffix in ("b", "c"):
            copy = Path(media_root) / f"plan-{suffix}.yaml"
            copy.write_text(text.replace("code: ninh-binh-test-2026", f"code: ninh-binh-test-2026-{suffix}"))
            load_path("plans", copy)
        task_services.assignments_ensure()
        scheme = TT01.read_text(encoding="utf-8")
        for version in (2, 3, 4):
            scoring_services.scheme_load(
                user=None, text=scheme.replace("version: 1\n", f"version: {version}\n", 1), name=TT01.name
            )
        for role, user in world.users.items():
            own = world.jobs[role]
            for _number in (1, 2):
                finished_export(user)
            for number in (1, 2):
                ImportJob.objects.create(
                    user=user,
                    file=own.file.name,
                    filename=f"nhap-{role}-{number}.xlsx",
                    state=own.state,
                    total=own.total,
                    done=own.done,
                    result=own.result,
                )
