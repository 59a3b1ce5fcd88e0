"""Backup and restore of a whole installation (`manage.py backup`, `manage.py restore`; decision 0021).

A backup is one portable zip file, the same on SQLite and PostgreSQL (a SQLite backup restores on PostgreSQL
and back):

    manifest.json            format, when, from which database, the schema version (every applied migration),
                             and per table: its model, row count and SHA-256 checksum
    tables/<table>.jsonl     one JSON array per row, in the manifest's column order, rows by primary key
    media/<path>             the uploaded files under MEDIA_ROOT (attachments, evidence, imported files)

Every table of every installed model is saved (records, their history, users, sessions, task results), read
through the ORM so each value has one text form whatever the database: a checksum taken before the backup and
after a restore is the same when the data is the same (`table_checksums`).

Restore replaces the whole database in one transaction: it refuses a backup whose schema version differs
from the database's (migrate the database to the same version first, or restore on the same release), empties
every table, inserts the rows, resets the id sequences, checks the foreign keys, and compares each table's
count and checksum with the manifest before it commits; any difference rolls everything back.
"""

import base64
import datetime
import decimal
import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "hoptac-backup"
FORMAT_VERSION = 1
BATCH = 2000


class BackupError(Exception):
    """A backup that cannot be restored here; the message says why, in Vietnamese, for the command line."""


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    fields: list[models.Field]

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]


def tables() -> list[Table]:
    """Every table the installed models own (their many-to-many tables too), in a stable order — but the
    derived ones (`derived_figures`: the year clock and the plan points, docs/decisions/0050): restoring the
    data moves the clock (its triggers), which makes every stored point stale."""
    found: dict[str, Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or not router.allow_migrate_model(connection.alias, model):
            continue
        if getattr(model, "derived_figures", False):
            continue
        fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
        found.setdefault(meta.db_table, Table(model, fields))
    return [found[name] for name in sorted(found)]


def schema_version() -> list[str]:
    """Every migration applied to the database, "app.name", sorted: two databases with the same list have the
    same tables and columns."""
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def _plain(value: Any) -> Any:
    """A value read by the ORM as JSON, one form whatever the database (full microseconds, UTC offsets)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return value


def _line(values: Iterable[Any]) -> bytes:
    return json.dumps([_plain(v) for v in values], ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"


def _rows(table: Table) -> Iterator[bytes]:
    """The table's rows as JSON lines, by primary key."""
    pk = table.model._meta.pk
    assert pk is not None
    queryset = table.model._base_manager.order_by(pk.attname).values_list(*[f.attname for f in table.fields])
    for values in queryset.iterator(chunk_size=BATCH):
        yield _line(values)


def table_checksums() -> dict[str, dict[str, Any]]:
    """Per table: its row count and the SHA-256 of its rows as a backup writes them."""
    result: dict[str, dict[str, Any]] = {}
    for table in tables():
        digest = hashlib.sha256()
        count = 0
        for line in _rows(table):
            digest.update(line)
            count += 1
        result[table.name] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def write_backup(target: BinaryIO | str | Path, *, media: bool = True) -> dict[str, Any]:
    """Write a backup of the whole database (and MEDIA_ROOT's files unless `media=False`) to `target`;
    returns the manifest. Read in one transaction, so the tables agree with each other."""
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": {},
        "media": [],
    }
    outermost = not connection.in_atomic_block
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive, transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # one snapshot of every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        manifest["schema_version"] = schema_version()
        for table in tables():
            digest = hashlib.sha256()
            count = 0
            with archive.open(f"tables/{table.name}.jsonl", "w") as out:
                for line in _rows(table):
                    out.write(line)
                    digest.update(line)
                    count += 1
            manifest["tables"][table.name] = {
                "model": table.model._meta.label,
                "columns": table.columns,
                "rows": count,
                "sha256": digest.hexdigest(),
            }
        if media:
            root = Path(settings.MEDIA_ROOT)
            for path in _media_files():
                name = path.relative_to(root).as_posix()
                archive.write(path, f"media/{name}")
                manifest["media"].append(
                    {"path": name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
                )
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as exc:
        raise BackupError("Tệp không phải bản sao lưu HợpTác: thiếu manifest.json.") from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Tệp không phải bản sao lưu HợpTác định dạng {FORMAT_VERSION} "
            f"(định dạng: {manifest.get('format')!r}, phiên bản {manifest.get('format_version')!r})."
        )
    return manifest


def check_schema(manifest: dict[str, Any]) -> None:
    """Refuse a backup taken at another schema version, naming the first differences."""
    here = set(schema_version())
    there = set(manifest.get("schema_version", []))
    if here == there:
        return
    only_backup = sorted(there - here)
    only_here = sorted(here - there)
    parts = []
    if only_backup:
        parts.append(
            f"chỉ có trong bản sao lưu: {', '.join(only_backup[:5])}" + (" …" if len(only_backup) > 5 else "")
        )
    if only_here:
        parts.append(
            f"chỉ có trong cơ sở dữ liệu: {', '.join(only_here[:5])}" + (" …" if len(only_here) > 5 else "")
        )
    raise BackupError(
        "Phiên bản lược đồ của bản sao lưu khác với cơ sở dữ liệu này, không khôi phục ("
        + "; ".join(parts)
        + "). Hãy khôi phục trên cùng phiên bản phần mềm đã tạo bản sao lưu, rồi chạy migrate để nâng cấp."
    )


def _insert(table: Table, columns: list[str], lines: Iterable[bytes]) -> None:
    by_column = {f.column: f for f in table.fields}
    fields = [by_column[c] for c in columns]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 (quoted names of our own tables)
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for line in lines:
            values = json.loads(line)
            batch.append([_prepare(f, v) for f, v in zip(fields, values, strict=True)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _prepare(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        value = base64.b64decode(value)
    elif isinstance(field, models.DurationField):
        value = datetime.timedelta(seconds=value)
    elif not isinstance(field, models.JSONField):
        value = field.to_python(value)
    return field.get_db_prep_save(value, connection)


def _checked_media(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> list[tuple[dict[str, Any], Path]]:
    """The backup's media files with where each goes, every one checked before anything is written."""
    root = Path(settings.MEDIA_ROOT).resolve()
    files = []
    for entry in manifest.get("media", []):
        target = (root / entry["path"]).resolve()
        if not target.is_relative_to(root):
            raise BackupError(f"Đường dẫn tệp không hợp lệ trong bản sao lưu: {entry['path']}")
        try:
            data = archive.read(f"media/{entry['path']}")
        except KeyError as exc:
            raise BackupError(f"Bản sao lưu thiếu tệp {entry['path']}.") from exc
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise BackupError(f"Tệp {entry['path']} trong bản sao lưu bị hỏng (mã kiểm tra sai).")
        files.append((entry, target))
    return files


def restore_backup(source: BinaryIO | str | Path, *, media: bool = True) -> dict[str, Any]:
    """Replace the database's content (and MEDIA_ROOT's files named in the backup) with the backup's; returns
    the manifest. Raises BackupError, leaving the database untouched, for a backup of another schema version,
    a table the backup does not match, or restored data whose counts or checksums differ from the manifest."""
    with zipfile.ZipFile(source) as archive:
        manifest = read_manifest(archive)
        check_schema(manifest)
        here = {t.name: t for t in tables()}
        missing = sorted(set(manifest["tables"]) ^ set(here))
        if missing:
            raise BackupError(
                f"Các bảng của bản sao lưu khác với cơ sở dữ liệu này: {', '.join(missing[:10])}."
            )
        for name, entry in manifest["tables"].items():
            if set(entry["columns"]) != set(here[name].columns):
                raise BackupError(f"Các cột của bảng {name} trong bản sao lưu khác với cơ sở dữ liệu này.")
        files = _checked_media(archive, manifest) if media else []
        with transaction.atomic():
            # Settle the foreign-key checks of earlier writes in an enclosing transaction (PostgreSQL cannot
            # empty a table with deferred checks pending); a no-op in restore's own transaction.
            connection.check_constraints()
            flush = connection.ops.sql_flush(
                no_style(), list(here), reset_sequences=False, allow_cascade=True
            )
            connection.ops.execute_sql_flush(flush)
            for name, entry in manifest["tables"].items():
                with archive.open(f"tables/{name}.jsonl") as lines:
                    _insert(here[name], entry["columns"], lines)
            models_ = [t.model for t in here.values()]
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models_):
                    cursor.execute(statement)
            connection.check_constraints(table_names=list(here))
            restored = table_checksums()
            wrong = [
                name
                for name, entry in manifest["tables"].items()
                if restored[name] != {"rows": entry["rows"], "sha256": entry["sha256"]}
            ]
            if wrong:
                raise BackupError(
                    "Dữ liệu khôi phục không khớp với bản sao lưu (số dòng hoặc mã kiểm tra) ở các bảng: "
                    f"{', '.join(wrong[:10])}. Không có gì được thay đổi."
                )
        if media:
            for entry, target in files:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(f"media/{entry['path']}"))
    return manifest
