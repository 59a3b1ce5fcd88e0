"""manage.py backup / restore (hoptac.core.backup): a round trip gives back identical data — every table's row
count and checksum, and the uploaded files — on the suite's database (SQLite or PostgreSQL); a backup of
another schema version is refused clearly and changes nothing. Derived tables are not in a backup: the review
tallies (hoptac.desk.tallies) and the tally of yearly reports (hoptac.registry.tallies) come back exact by their
triggers, which the restore's writes fire."""

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.backup import table_checksums, tables
from hoptac.desk.models import ReviewTally
from hoptac.registry.models import Organisation, ReportTally, YearlyReport, YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = settings.MEDIA_ROOT / "evidence" / "2026" / "bien-ban.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 bien ban hop dai hoi thanh vien")
    return evidence


def world():
    orgs = OrganisationFactory.create_batch(3)
    for org in orgs:
        YearlyReportFactory(organisation=org)
        YearlyReportFactory(organisation=org, year=2024, state=YearlyReportState.SUBMITTED)
        org.name = org.name + " (đổi tên)"
        org.save()  # a history row too
    UserFactory(username="can_bo_xa")
    return orgs


def tally() -> dict[tuple, int]:
    return {
        (row.kind, row.state, row.year, row.commune_legacy, row.commune_current): row.n
        for row in ReviewTally.objects.exclude(n=0)
    } | {
        ("report", row.state, row.year, row.commune_legacy, row.commune_current): row.n
        for row in ReportTally.objects.exclude(n=0)
    }


def test_round_trip_restores_identical_data_and_files(media, tmp_path):
    orgs = world()
    before = table_checksums()
    tally_before = tally()
    assert sum(n for cell, n in tally_before.items() if cell[1] == YearlyReportState.SUBMITTED) >= 3
    path = tmp_path / "sao-luu.zip"
    call_command("backup", str(path))
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert {
        name: {"rows": t["rows"], "sha256": t["sha256"]} for name, t in manifest["tables"].items()
    } == before
    assert manifest["tables"]["registry_organisation"]["rows"] >= 3
    assert [m["path"] for m in manifest["media"]] == ["evidence/2026/bien-ban.pdf"]

    # Everything changes: a record renamed, one added, a user removed, the file lost.
    Organisation.objects.filter(pk=orgs[0].pk).update(name="Tên sai")
    OrganisationFactory()
    YearlyReport.objects.filter(organisation=orgs[1]).update(state=YearlyReportState.ACCEPTED)
    YearlyReportFactory(organisation=orgs[2], year=2025, state=YearlyReportState.SUBMITTED)
    assert tally() != tally_before
    UserFactory._meta.model.objects.filter(username="can_bo_xa").delete()
    media.unlink()
    assert table_checksums() != before

    call_command("restore", str(path), yes=True)
    assert table_checksums() == before
    # The tally is not in the backup (derived) and comes back exact: the restore's writes fire its triggers.
    backed_up = {table.name for table in tables()}
    assert ReviewTally._meta.db_table not in backed_up and ReportTally._meta.db_table not in backed_up
    assert tally() == tally_before
    assert Organisation.objects.get(pk=orgs[0].pk).name == orgs[0].name
    assert media.read_bytes().startswith(b"%PDF-1.4 bien ban")
    # The id sequences follow the restored rows: a new record gets a fresh id.
    assert OrganisationFactory().pk > max(o.pk for o in orgs)


def test_restore_refuses_another_schema_version_and_changes_nothing(media, tmp_path):
    world()
    path = tmp_path / "sao-luu.zip"
    call_command("backup", str(path), "--no-media")
    other = tmp_path / "phien-ban-khac.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(other, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["schema_version"].append("registry.9999_a_later_release")
                data = json.dumps(manifest).encode()
            target.writestr(item, data)
    OrganisationFactory()
    now = table_checksums()
    with pytest.raises(
        CommandError, match="Phiên bản lược đồ của bản sao lưu khác.*registry.9999_a_later_release"
    ):
        call_command("restore", str(other), yes=True)
    assert table_checksums() == now


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "khac.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "không phải bản sao lưu")
    with pytest.raises(CommandError, match="thiếu manifest.json"):
        call_command("restore", str(path), yes=True)


def test_restore_refuses_damaged_table_data(media, tmp_path):
    world()
    path = tmp_path / "sao-luu.zip"
    call_command("backup", str(path))
    damaged = tmp_path / "hong.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "tables/registry_organisation.jsonl":
                data = data.replace("(đổi tên)".encode(), "(sửa lén)".encode(), 1)
            target.writestr(item, data)
    OrganisationFactory()
    now = table_checksums()
    with pytest.raises(CommandError, match="không khớp.*registry_organisation"):
        call_command("restore", str(damaged), yes=True)
    assert table_checksums() == now
