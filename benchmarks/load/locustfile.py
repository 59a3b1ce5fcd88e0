"""Load scenario (`make bench`, scripts/bench_load.sh): officers of the province and of communes sign in, browse
and search the registry, open an organisation, the plan page and its targets, and export — against the
production command (gunicorn + PostgreSQL) on 127.0.0.1 only. Headless and bounded in time by the script
(locust --run-time). Each simulated officer signs in once with the demo accounts (`load_demo`), then works
with a few seconds' pause between pages, as a person does.

Run by hand: locust -f benchmarks/load/locustfile.py --headless -u 50 -r 5 -t 2m --host http://127.0.0.1:8000
"""

import json
import os
import random
import re
import time
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "hoptac-demo-2025")
PLAN = os.environ.get("BENCH_PLAN", "nam-dinh-139-kh-ubnd-2022")
# Who signs in (comma-separated usernames): the demo's by default; on another registry (the national one)
# scripts/bench_load.sh takes them from benchmarks/scale.py --subjects.
PROVINCE_USERS = tuple(os.environ.get("BENCH_PROVINCE_USERS", "tinh").split(","))
COMMUNE_USERS = tuple(os.environ.get("BENCH_COMMUNE_USERS", "xa_haihau,xa_haianh").split(","))
SEARCHES = ["hợp tác xã", "nông nghiệp", "Hải", "dịch vụ", "tổ hợp tác", "vận tải", "xây dựng", "thủy sản"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ORGANISATION_LINK = re.compile(r'href="/registry/(\d+)/"')
TARGET_LINK = re.compile(rf'href="(/plans/{PLAN}/targets/[^"/]+/)"')


# Every response time, by request name, for benchmarks/load/report.py (percentiles of all requests, and of the
# work after signing in: a password check costs a deliberate ~0.5 s of CPU, once a day per officer).
TIMINGS_FILE = os.environ.get("BENCH_TIMINGS")
TIMINGS: dict[str, list[float]] = {}
# The measured window starts once every officer has signed in (BENCH_USERS of them): 50 password checks in
# the first seconds are a morning's sign-ins, not the steady work the goal is about. Locust's statistics are
# reset then (as `--reset-stats` does after spawning); what came before is kept as "warm-up: <request>" and
# reported apart. BENCH_WARMUP=0 measures from the first request.
WARMUP = os.environ.get("BENCH_WARMUP", "1") != "0"
USERS = int(os.environ.get("BENCH_USERS", "0") or 0)
STATE = {"signed_in": 0, "window_start": None, "stop": None}
ENVIRONMENT = {}


@events.init.add_listener
def _init(environment, **kwargs) -> None:
    ENVIRONMENT["env"] = environment


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs) -> None:
    if WARMUP and STATE["window_start"] is None:
        name = f"warm-up: {name}"
    TIMINGS.setdefault(name, []).append(response_time if exception is None else -response_time)


def _signed_in() -> None:
    STATE["signed_in"] += 1
    if WARMUP and STATE["window_start"] is None and STATE["signed_in"] >= USERS:
        STATE["window_start"] = time.time()
        ENVIRONMENT["env"].runner.stats.reset_all()


@events.test_stop.add_listener
def _write(**kwargs) -> None:
    if TIMINGS_FILE:
        end = time.time()
        start = STATE["window_start"]
        TIMINGS["_window_seconds"] = [round(end - start, 1) if start else 0.0]
        with open(TIMINGS_FILE, "w", encoding="utf-8") as out:
            json.dump(TIMINGS, out)


class Officer(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    usernames: tuple[str, ...] = ()

    def on_start(self) -> None:
        host = urlparse(self.host or "").hostname
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise RuntimeError("The load test only runs against this machine (127.0.0.1).")
        self.organisations: list[str] = []
        self.targets: list[str] = []
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": random.choice(self.usernames),
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("sign-in refused")
        _signed_in()

    def page(self, url: str, name: str, *, must_contain: str = "") -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/accounts/login/" in response.url:
                response.failure("signed out")
            elif must_contain and must_contain not in response.text:
                response.failure(f"missing {must_contain!r}")
            return response.text or ""

    @task(2)
    def desk(self) -> None:
        """The officer's home page (what waits, what is late): where every sign-in lands."""
        self.page("/", "desk (home)")

    @task(4)
    def registry(self) -> None:
        html = self.page(f"/registry/?page={random.randint(1, 5)}", "registry list", must_contain="<table")
        self.organisations = ORGANISATION_LINK.findall(html) or self.organisations

    @task(3)
    def search(self) -> None:
        html = self.page(f"/registry/?q={random.choice(SEARCHES)}", "registry search")
        self.organisations = ORGANISATION_LINK.findall(html) or self.organisations

    @task(3)
    def organisation(self) -> None:
        if self.organisations:
            self.page(f"/registry/{random.choice(self.organisations)}/", "organisation detail")

    @task(2)
    def plan(self) -> None:
        html = self.page(f"/plans/{PLAN}/", "plan page")
        self.targets = TARGET_LINK.findall(html) or self.targets

    @task(1)
    def target(self) -> None:
        if self.targets:
            self.page(random.choice(self.targets), "plan target")

    @task(1)
    def yearly(self) -> None:
        self.page("/registry/years/", "yearly data list")


class ProvinceOfficer(Officer):
    """The whole province: every organisation of the registry is in scope."""

    weight = 2
    usernames = PROVINCE_USERS

    @task(1)
    def export_plan(self) -> None:
        with self.client.get(
            f"/plans/{PLAN}/export.xlsx", name="plan export (.xlsx)", catch_response=True
        ) as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"HTTP {r.status_code}, not a workbook")


class CommuneOfficer(Officer):
    """A commune's officer: their communes' organisations."""

    weight = 3
    usernames = COMMUNE_USERS

    @task(1)
    def export_registry(self) -> None:
        with self.client.get(
            "/registry/export.xlsx", name="registry export (.xlsx)", catch_response=True
        ) as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"HTTP {r.status_code}, not a workbook")
