"""A worker process for the fault tests of test_review_faults.py (not a test module): it takes a review step
(hoptac.core.review.transition) or the yearly-data queue's bulk acceptance against the database named by
DATABASE_URL, as a web process would, and prints what happened on its last line. The test kills it.

    python -m hoptac.core.tests.review_worker take APP.MODEL PK STEP USER_ID [--hang]
    python -m hoptac.core.tests.review_worker accept-yearly USER_ID PK[,PK…] [--hang]
    python -m hoptac.core.tests.review_worker state [APP.MODEL PK]…

E-mails go to files under MEDIA_ROOT/mail (listed by `state`).

--hang: when the last step has written everything it writes (the object and its history, its audit lines,
events, derived records and notifications: `step_taken` is sent last, and this receiver is connected after
the notifications'), inside the step's transaction, not yet committed, print "writing" and sleep: the test
kills the process there with SIGKILL.
"""

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
    django.setup()
    from django.apps import apps
    from django.conf import settings

    from hoptac.accounts.models import User
    from hoptac.core.review import step_taken, transition
    from hoptac.registry import services
    from hoptac.registry.models import YearlyReport

    # E-mails (sent by the task worker once the step commits) are written as files under MEDIA_ROOT/mail,
    # where `state` sees them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(Path(settings.MEDIA_ROOT) / "mail")
    step = argv[0]
    if step == "state":
        pairs = argv[1:]
        items = [(pairs[i], int(pairs[i + 1])) for i in range(0, len(pairs), 2)]
        print(json.dumps(_state(items)), flush=True)
        return
    if step == "take":
        objs = [apps.get_model(argv[1])._default_manager.get(pk=int(argv[2]))]
        user = User.objects.get(pk=int(argv[4]))
    else:  # accept-yearly
        user = User.objects.get(pk=int(argv[1]))
        objs = list(YearlyReport.objects.filter(pk__in=[int(pk) for pk in argv[2].split(",")]).order_by("pk"))
    if "--hang" in argv:
        taken: list[Any] = []

        def hang(sender: Any, **kwargs: Any) -> None:
            taken.append(kwargs["obj"])
            if len(taken) == len(objs):  # the last step has written all it writes
                print("writing", flush=True)
                time.sleep(600)

        step_taken.connect(hang, weak=False)
    if step == "take":
        obj = transition(objs[0], argv[3], user=user, comment="Đồng ý")
        print(obj.state, flush=True)
    else:
        print(
            f"accepted {services.yearly_reports_accept(user=user, reports=objs, comment='Đồng ý')}",
            flush=True,
        )


def _state(items: list[tuple[str, int]]) -> dict:
    """Every table's row count and checksum (hoptac.core.backup), the files under MEDIA_ROOT, and for each
    item: its state, its history (type, user, state, reason) and what else names it."""
    from django.apps import apps
    from django.conf import settings

    from hoptac.accounts.models import AuditEvent
    from hoptac.core.backup import table_checksums
    from hoptac.notifications.models import Notification

    root = Path(settings.MEDIA_ROOT)
    described = {}
    for label, pk in items:
        obj = apps.get_model(label)._default_manager.get(pk=pk)
        entry = {
            "state": obj.state,
            "reviewed_by": _name(getattr(obj, "reviewed_by", None)),
            "approved_by": _name(getattr(obj, "approved_by", None)),
            "history": [
                [h.history_type, _name(h.history_user), h.state, h.history_change_reason or ""]
                for h in obj.history.order_by("history_date", "history_id").select_related("history_user")
            ],
            "audit": [
                [e.kind, e.username]
                for e in AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(pk)).order_by(
                    "pk"
                )
            ],
        }
        if hasattr(obj, "events"):  # an assessment's steps
            entry["events"] = [[e.action, _name(e.user), e.to_state] for e in obj.events.order_by("pk")]
        if hasattr(obj, "band"):
            entry["band"] = obj.band
        if hasattr(obj, "period"):  # a progress report's period carries its state
            entry["period"] = obj.period.report_state
        described[f"{label}:{pk}"] = entry
    return {
        "tables": table_checksums(),
        "files": sorted(
            str(p.relative_to(root))
            for p in (root.rglob("*") if root.is_dir() else ())
            if p.is_file() and not p.name.startswith("shared.sqlite3")  # the shared database (SQLite)
        ),
        "notifications": sorted(
            [_name(n.recipient), n.event] for n in Notification.objects.unrestricted("the test reads all")
        ),
        "items": described,
    }


def _name(user: Any) -> str | None:
    return user.username if user is not None else None


if __name__ == "__main__":
    main(sys.argv[1:])
