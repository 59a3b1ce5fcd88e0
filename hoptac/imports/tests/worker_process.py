"""A worker process for the fault tests of test_d2_jobs.py (not a test module): it runs one step of an import
job against the database named by DATABASE_URL, as a web process or `manage.py db_worker` would, and prints
what happened on its last line. The test kills it, or runs several side by side.

    python -m hoptac.imports.tests.worker_process commit SOURCE_ID USER_ID [--wait] [--hang-while-writing]
    python -m hoptac.imports.tests.worker_process recover
    python -m hoptac.imports.tests.worker_process retry JOB_ID USER_ID
    python -m hoptac.imports.tests.worker_process age JOB_ID MINUTES
    python -m hoptac.imports.tests.worker_process state

--wait: print "ready" and wait for a line on stdin before starting (two processes then start together).
--hang-while-writing: once the organisations and their statuses are written (inside the import's transaction,
not yet committed), print "writing" and sleep: the test kills the process there with SIGKILL.
"""

import datetime
import json
import os
import sys
import time

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
    django.setup()
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from hoptac.accounts.models import User
    from hoptac.imports import importer, services
    from hoptac.imports.models import ImportJob
    from hoptac.registry.models import YearlyReport

    step = argv[0]
    if step == "state":
        print(json.dumps(_state()), flush=True)
        return
    if step == "age":  # the job started MINUTES ago
        started = timezone.now() - datetime.timedelta(minutes=int(argv[2]))
        print(ImportJob.objects.filter(pk=int(argv[1])).update(started_at=started), flush=True)
        return
    if step == "recover":
        print(f"failed {services.import_jobs_recover()}", flush=True)
        return
    if step == "retry":
        job = ImportJob.objects.get(pk=int(argv[1]))
        job = services.import_job_retry(user=User.objects.get(pk=int(argv[2])), job=job)
        print(job.state, flush=True)
        return
    source = ImportJob.objects.get(pk=int(argv[1]))
    user = User.objects.get(pk=int(argv[2]))
    if "--hang-while-writing" in argv:
        real = importer.insert_with_history

        def hang(objs, model, **kwargs):
            if model is YearlyReport:  # organisations and statuses are in the open transaction by now
                print("writing", flush=True)
                time.sleep(600)
            return real(objs, model, **kwargs)

        importer.insert_with_history = hang
    if "--wait" in argv:
        print("ready", flush=True)
        sys.stdin.readline()
    try:
        job = services.import_job_start(user=user, source=source, commit=True)
    except ValidationError as exc:
        print("refused: " + "; ".join(exc.messages), flush=True)
        return
    print(job.state, flush=True)


def _state() -> dict:
    """The rows written by imports of test_d2_jobs.py (codes 06079700..), their history, and every job."""
    from hoptac.imports.models import ImportJob
    from hoptac.registry.models import Organisation, StatusChange, YearlyReport

    mine = {"registration_code__startswith": "06079700"}
    return {
        "organisations": Organisation.objects.filter(**mine).count(),
        "statuses": StatusChange.objects.filter(**{f"organisation__{k}": v for k, v in mine.items()}).count(),
        "reports": YearlyReport.objects.filter(**{f"organisation__{k}": v for k, v in mine.items()}).count(),
        "history": sorted(
            (h.history_type, h.history_user.username if h.history_user else None)
            for h in Organisation.history.filter(**mine).select_related("history_user")
        ),
        "all_statuses": StatusChange.objects.count(),
        "all_reports": YearlyReport.objects.count(),
        "jobs": [
            {"pk": j.pk, "commit": j.commit, "state": j.state, "error": j.error, "attempts": j.attempts}
            for j in ImportJob.objects.order_by("pk")
        ],
    }


if __name__ == "__main__":
    main(sys.argv[1:])
