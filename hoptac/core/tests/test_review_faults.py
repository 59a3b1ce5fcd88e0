"""Faults during an approval (issue 13): a real process taking a review step that writes several things — the
yearly data's acceptance, the bulk acceptance of the yearly-data queue, a rating's approval (which also writes
the rating: proposals, totals, band, size class), a progress report's acceptance (which also writes its
period) — is killed with SIGKILL once the step has written all it writes (the object and its history, the
audit lines, the assessment's events, the period, the notifications), before the commit. Nothing of it is left:
every table of the database is exactly as before (row counts and checksums, hoptac.core.backup) and no file
was written; the same step then succeeds, attributed to the user who took it. An approval is taken in the
request, not a job: there is no job to mark failed, the user sees the error and takes the step again.

The step runs in hoptac/core/tests/review_worker.py, on a database shared with the test
(hoptac/core/tests/processes.py): a file copy of the test database on SQLite, the test database itself on
PostgreSQL."""

import datetime
import json
import signal

import pytest

from hoptac.core.review import transition
from hoptac.registry.models import YearlyReport
from hoptac.scoring import services as scoring_services
from hoptac.scoring.tests import conftest as scoring_fixtures
from hoptac.scoring.tests.test_workflow import start, submit_full
from hoptac.tasks.tests import conftest as tasks_fixtures

from .processes import SharedDatabase, read_line

# The worlds the scoring and tasks tests build (their conftest fixtures, used here as they are).
schemes = scoring_fixtures.schemes
people = scoring_fixtures.people
world = tasks_fixtures.world
assigned = tasks_fixtures.assigned

pytestmark = pytest.mark.django_db(transaction=True)


class ReviewDatabase(SharedDatabase):
    def __init__(self, media) -> None:
        super().__init__(media, module="hoptac.core.tests.review_worker")

    def state(self, items: list[tuple[str, int]]) -> dict:
        return json.loads(self.run("state", *[part for item in items for part in item]))


@pytest.fixture
def shared(tmp_path):
    return ReviewDatabase(tmp_path)


def killed_then_retried(
    shared: ReviewDatabase, step: list, items: list[tuple[str, int]]
) -> tuple[dict, dict]:
    """Share the database, take `step` in a process killed once the step has written everything (before the
    commit), check nothing of it is left, take it again to its end; the state before and after."""
    shared.share()
    before = shared.state(items)
    worker = shared.start(*step, "--hang")
    read_line(worker, "writing")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    after_kill = shared.state(items)
    changed = sorted(t for t in before["tables"] if after_kill["tables"].get(t) != before["tables"][t])
    assert changed == [], f"the killed step left rows in {changed}"
    assert after_kill == before
    shared.run(*step)  # taken again, to its end
    return before, shared.state(items)


def test_a_yearly_acceptance_killed_mid_step_leaves_nothing_then_succeeds(shared, people):
    report = YearlyReport.objects.get(organisation=people["b"], year=2024)
    transition(report, "submit", user=people["representative_b"])
    people["representative_b"].email = "daidien@htx.vn"  # told by e-mail too, once the step commits
    people["representative_b"].save(update_fields=["email"])
    officer = people["commune_b"]
    item = ("registry.YearlyReport", report.pk)
    before, after = killed_then_retried(shared, ["take", *item, "accept", officer.pk], [item])
    key = f"{item[0]}:{item[1]}"
    assert before["items"][key]["state"] == "submitted"
    mine = after["items"][key]
    assert (mine["state"], mine["reviewed_by"]) == ("accepted", officer.username)
    assert mine["history"][-1] == ["~", officer.username, "accepted", "Đồng ý"]
    assert len(mine["history"]) == len(before["items"][key]["history"]) + 1
    assert mine["audit"][-1] == ["approval", officer.username]
    told = [n for n in after["notifications"] if n not in before["notifications"]]
    assert told == [[people["representative_b"].username, "accepted"]]
    assert before["files"] == [] and len(after["files"]) == 1  # the e-mail, sent once, after the commit


def test_the_queue_bulk_acceptance_killed_at_its_last_report_leaves_none_accepted_then_succeeds(
    shared, people
):
    """Two submitted years; the process is killed while accepting the second, the first fully written: both
    are still submitted, then both are accepted."""
    reports = list(YearlyReport.objects.filter(organisation=people["b"]).order_by("pk"))
    assert len(reports) == 2
    for report in reports:
        transition(report, "submit", user=people["representative_b"])
    officer = people["commune_b"]
    items = [("registry.YearlyReport", r.pk) for r in reports]
    pks = ",".join(str(r.pk) for r in reports)
    before, after = killed_then_retried(shared, ["accept-yearly", officer.pk, pks], items)
    for label, pk in items:
        key = f"{label}:{pk}"
        assert before["items"][key]["state"] == "submitted"
        mine = after["items"][key]
        assert (mine["state"], mine["reviewed_by"]) == ("accepted", officer.username)
        assert mine["history"][-1] == ["~", officer.username, "accepted", "Đồng ý"]
    told = [n for n in after["notifications"] if n not in before["notifications"]]
    assert told == [[people["representative_b"].username, "accepted"]] * 2


def test_a_rating_approval_killed_mid_step_leaves_nothing_then_succeeds(shared, people):
    """The approval also writes the rating (refreshed proposals and totals, the band, the size class) and a
    step event: none of it survives the kill."""
    assessment = start(people)
    submit_full(people, assessment)
    scoring_services.assessment_review_save(
        user=people["commune_b"], assessment=assessment, points={}, finish=True
    )
    province = people["province"]
    item = ("scoring.Assessment", assessment.pk)
    before, after = killed_then_retried(shared, ["take", *item, "approve", province.pk], [item])
    key = f"{item[0]}:{item[1]}"
    was, mine = before["items"][key], after["items"][key]
    assert (was["state"], was["band"], was["approved_by"]) == ("reviewed", None, None)
    assert (mine["state"], mine["approved_by"]) == ("approved", province.username)
    assert mine["band"]  # the rating result
    assert mine["events"] == [*was["events"], ["approve", province.username, "approved"]]
    assert mine["history"][-1][:3] == ["~", province.username, "approved"]
    told = [n for n in after["notifications"] if n not in before["notifications"]]
    assert told == [[people["representative_b"].username, "approved"]]


def test_a_progress_report_acceptance_killed_mid_step_leaves_nothing_then_succeeds(shared, assigned):
    """The acceptance also writes the report's period (its state and acceptance day)."""
    period = assigned["assignment_a"].periods.get(start=datetime.date(2026, 1, 1))
    report = tasks_fixtures.file_report(assigned["lead_new"], period, on=datetime.date(2026, 12, 1))
    coordinator = assigned["coordinator"]
    item = ("plan_tasks.ProgressReport", report.pk)
    before, after = killed_then_retried(shared, ["take", *item, "accept", coordinator.pk], [item])
    key = f"{item[0]}:{item[1]}"
    was, mine = before["items"][key], after["items"][key]
    assert (was["state"], was["period"]) == ("submitted", "submitted")
    assert (mine["state"], mine["period"], mine["reviewed_by"]) == (
        "accepted",
        "accepted",
        coordinator.username,
    )
    assert mine["history"][-1] == ["~", coordinator.username, "accepted", "Đồng ý"]
    told = [n for n in after["notifications"] if n not in before["notifications"]]
    assert told == [[assigned["lead_new"].username, "accepted"]]
    mails = [f for f in after["files"] if f not in before["files"]]
    assert len(mails) == 1 and mails[0].startswith("mail/")  # somoi@x.vn told once, after the commit
