"""The person's data as a workbook (what a data subject is given on an access request): the organisations whose
record names them, every historical version holding their data, their user accounts."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.workbooks import (
    DATE,
    Column,
    add_sheet,
    new_workbook,
    workbook_bytes,
    write_table,
    write_title,
)
from hoptac.registry.models import Organisation

from .models import DataSubjectRequest
from .selectors import PersonData


def _field(name: str) -> str:
    field = Organisation._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def person_workbook(request_obj: DataSubjectRequest, data: PersonData) -> bytes:
    workbook = new_workbook()
    sheet = add_sheet(workbook, _("Organisations"))
    title_row = write_title(
        sheet,
        _("Personal data held about the person (request %(reference)s)")
        % {"reference": request_obj.reference},
        _("Searched by: %(keys)s")
        % {
            "keys": ", ".join(
                v
                for v in (request_obj.subject_name, request_obj.subject_phone, request_obj.subject_email)
                if v
            )
        },
        _("Made on %(date)s") % {"date": timezone.localtime().strftime("%H:%M %d/%m/%Y")},
    )
    personal = ["representative_name", "representative_title", "phone", "email"]
    columns = [
        Column(_field("name"), 40),
        Column(_field("registration_code"), 16),
        Column(_("Commune"), 24),
        *(Column(_field(f), 22) for f in personal),
    ]
    write_table(
        sheet,
        title_row + 2,
        columns,
        (
            [
                o.name,
                o.registration_code,
                str(o.commune_current or o.commune_legacy or ""),
                *(getattr(o, f) for f in personal),
            ]
            for o in data.organisations
        ),
        fixed_columns=1,
    )

    sheet = add_sheet(workbook, _("History"))
    columns = [
        Column(_("Time"), 18, DATE),
        Column(_("Changed by"), 16),
        Column(_field("name"), 40),
        *(Column(_field(f), 22) for f in personal),
    ]
    write_table(
        sheet,
        1,
        columns,
        (
            [
                timezone.localtime(h.history_date).date(),
                h.history_user.get_username() if h.history_user else "",
                h.name,
                *(getattr(h, f) for f in personal),
            ]
            for h in data.history
        ),
        fixed_columns=1,
    )

    sheet = add_sheet(workbook, _("User accounts"))
    columns = [
        Column(_("Username"), 18),
        Column(_("Full name"), 28),
        Column(_("Email"), 28),
        Column(_("Role"), 22),
        Column(_("Last sign-in"), 16, DATE),
    ]
    write_table(
        sheet,
        1,
        columns,
        (
            [
                u.username,
                u.get_full_name(),
                u.email,
                u.get_role_display(),
                timezone.localtime(u.last_login).date() if u.last_login else None,
            ]
            for u in data.users
        ),
        fixed_columns=1,
    )
    return workbook_bytes(workbook)
