# ruff: noqa: F811  (fixtures imported from other test modules)
"""Several processes on one PostgreSQL database, as on several machines behind one reverse proxy (issue 15,
docs/decisions/0039-several-processes-and-machines.md): two web servers — `scripts/serve web`, gunicorn with
production settings and one worker each, the same secret key, each with its own per-process cache — and two
task workers (`scripts/serve worker`) against the test database. Web B also reads its figures through a
"replica" alias (here the primary itself, as a standby that is never behind). Shown:

- a sign-in through A is a sign-in through B (sessions are in the database);
- a plan figure B has cached is served from B's cache while the data version is unchanged — even after a
  write the version does not see (by hand in psql), which A, computing afresh, already shows — and changes at
  B at once after a write through A (the data version is read from the database by every process);
- the same record edited through A and then through B from the same version: the second is refused (409);
- a list imported through A runs on a task worker (check, then import) and its result is seen through B;
- failed sign-ins through A and B count together: the account is locked on both (django-axes, in the database);
- two task workers share the queue and never run a task twice (SELECT … FOR UPDATE SKIP LOCKED).

PostgreSQL only (one_database): several machines need a database server; the SQLite file is for one machine
(its two processes share one file the same way, WAL mode, decision 0039)."""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.core.tests import processes
from hoptac.core.tests.test_production import free_port, production_env
from hoptac.imports.tests.test_d2_jobs import row, workbook
from hoptac.plans.tests.test_views import card_value, plan, plan_url, registry  # noqa: F401 (fixtures)
from hoptac.tests import worker_tasks

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.one_database("postgresql")]

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 180  # a loaded machine (the suite's two passes side by side) starts Django slowly
HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}"


class Browser:
    """One person's browser behind the reverse proxy: cookies kept across both servers (the proxy sends a
    request to either), HTTPS as the proxy says (X-Forwarded-Proto), the CSRF token sent back on writes."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in ("GET", "HEAD"):
            sent.update(
                {"Origin": ORIGIN, "Referer": f"{ORIGIN}/", "X-CSRFToken": self.cookies.get("csrftoken", "")}
            )
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, response.msg, content

    def get(self, port: int, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.request(port, "GET", path)

    def json(self, port: int, method: str, path: str, data: dict | None = None, **headers: str):
        body = json.dumps(data).encode() if data is not None else None
        status, answer_headers, content = self.request(
            port,
            method,
            path,
            body,
            {"Content-Type": "application/json", "Accept": "application/json", **headers},
        )
        return status, answer_headers, (json.loads(content) if content else None)

    def sign_in(self, port: int, username: str, password: str) -> int:
        self.get(port, "/accounts/login/")  # the CSRF cookie
        form = f"username={username}&password={password}&csrfmiddlewaretoken={self.cookies['csrftoken']}"
        status, _headers, _content = self.request(
            port,
            "POST",
            "/accounts/login/",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status

    def upload(self, port: int, path: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, _headers, answer = self.request(
            port,
            "POST",
            path,
            body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"},
        )
        return status, json.loads(answer)


class Processes:
    """Started process groups, each with its log; all stopped at the end (SIGTERM, then SIGKILL)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.started = tmp, []

    def start(self, name: str, mode: str, env: dict[str, str]) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("w+")
        process = subprocess.Popen(
            ["bash", "scripts/serve", mode],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((name, process, log))
        return process

    def logs(self) -> str:
        out = []
        for name, _process, log in self.started:
            log.flush()
            log.seek(0)
            out.append(f"--- {name}\n{log.read()[-3000:]}")
        return "\n".join(out)

    def wait_until_serving(self, port: int, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert process.poll() is None, self.logs()
            try:
                if Browser().get(port, "/accounts/login/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        pytest.fail(f"port {port} did not answer in {START_SECONDS} s\n{self.logs()}")

    def stop(self) -> None:
        for _name, process, _log in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process, log in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


@pytest.fixture
def running(tmp_path):
    group = Processes(tmp_path)
    yield group
    group.stop()


def fast_password(user, password: str = PASSWORD) -> None:
    """The servers use production's hashers (the tests' MD5 is not among them): PBKDF2 with few iterations,
    which a server verifies and then upgrades on the first sign-in."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


def poll(read, done, seconds: float = START_SECONDS):
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_two_web_servers_and_two_workers_share_one_database(plan, registry, running, tmp_path):
    officer = UserFactory(role=Role.PROVINCE, username="officer")
    fast_password(officer)
    locked = UserFactory(role=Role.PROVINCE, username="locked")
    fast_password(locked)
    shared = processes.SharedDatabase(tmp_path).share()
    (tmp_path / "static").mkdir()
    env = production_env(
        DATABASE_URL=shared.url,
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        HOPTAC_PYTHON=sys.executable,
        WEB_CONCURRENCY="1",
        HOPTAC_IMPORT_INLINE_BYTES="0",  # every import goes to the task worker
        AXES_FAILURE_LIMIT="3",
        TASK_WORKER_ARGS="--interval 0.2 --no-startup-delay",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    # The workers start while the static files are collected.
    running.start("worker-1", "worker", env)
    running.start("worker-2", "worker", env)
    # The manifest of hashed static files, which production pages need (scripts/serve prepare's first step).
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    a, b = free_port(), free_port()
    web_a = running.start("web-a", "web", {**env, "HOPTAC_BIND": f"{HOST}:{a}"})
    web_b = running.start(
        "web-b", "web", {**env, "HOPTAC_BIND": f"{HOST}:{b}", "DATABASE_REPLICA_URL": shared.url}
    )
    running.wait_until_serving(a, web_a)
    running.wait_until_serving(b, web_b)

    # A sign-in through A is one through B; a browser without it is sent to the sign-in page.
    browser = Browser()
    assert browser.sign_in(a, "officer", PASSWORD) == 302
    assert browser.get(b, "/")[0] == 200
    assert Browser().get(b, "/")[0] == 302

    def figure(port: int) -> str:
        status, _headers, html = browser.get(port, plan_url(plan, as_of="31/12/2023"))
        assert status == 200, running.logs()
        return card_value(html.decode(), "2030.HTX")

    # B computes the figure and keeps it in its own cache.
    assert figure(b) == "3"
    # A write the data version does not see (by hand, outside Django): the union becomes a cooperative.
    with psycopg.connect(shared.url.replace("postgres://", "postgresql://"), autocommit=True) as direct:
        direct.execute("UPDATE registry_organisation SET kind = 'htx' WHERE id = %s", [registry["union"].pk])
    assert figure(a) == "4"  # A computes afresh at this version …
    assert figure(b) == "3"  # … B serves what it cached at this version: its cache is in use.

    # The same organisation edited through A and B from the same version: A's is saved, B's refused.
    organisation = f"/api/v1/organisations/{registry['a'].pk}/"
    status, headers_a, _body = browser.json(a, "GET", organisation)
    status_b, headers_b, _body = browser.json(b, "GET", organisation)
    assert status == status_b == 200 and headers_a["ETag"] == headers_b["ETag"]
    status, _headers, body = browser.json(
        a, "PATCH", organisation, {"name": "Hợp tác xã Hải Minh (A)"}, **{"If-Match": headers_a["ETag"]}
    )
    assert status == 200, body
    status, _headers, body = browser.json(
        b, "PATCH", organisation, {"name": "Hợp tác xã Hải Minh (B)"}, **{"If-Match": headers_b["ETag"]}
    )
    assert status == 409, body
    assert browser.json(b, "GET", organisation)[2]["name"] == "Hợp tác xã Hải Minh (A)"

    # A's write raised the data version in the database: B's cached figure is replaced at once.
    assert figure(b) == "4"

    # A list imported through A: the worker checks it, then imports it; B sees each step and the result.
    status, job = browser.upload(a, "/api/v1/imports/", "ds.xlsx", workbook([row(1), row(2)]))
    assert status == 201 and job["state"] == "queued", job

    def state_at_b(pk: int) -> str:
        return browser.json(b, "GET", f"/api/v1/imports/{pk}/")[2]["state"]

    assert poll(lambda: state_at_b(job["id"]), lambda s: s not in ("queued", "running")) == "checked"
    status, _headers, commit = browser.json(a, "POST", f"/api/v1/imports/{job['id']}/commit/")
    assert status == 201 and commit["state"] == "queued", commit
    assert poll(lambda: state_at_b(commit["id"]), lambda s: s not in ("queued", "running")) == "committed"
    assert figure(b) == "6"  # two cooperatives founded in 2020 in Hải Minh

    # Failed sign-ins through A and B count together: the third locks the account, on both servers.
    intruder = Browser()
    assert intruder.sign_in(a, "locked", "wrong-1") == 200  # the form again, with its error
    assert intruder.sign_in(b, "locked", "wrong-2") == 200
    assert intruder.sign_in(a, "locked", "wrong-3") == 429
    assert intruder.sign_in(b, "locked", PASSWORD) == 429  # the right password, refused while locked
    assert "sessionid" not in intruder.cookies

    # Two workers share the queue and never run a task twice.
    runs = tmp_path / "runs.txt"
    results = [worker_tasks.record_run.enqueue(str(runs), n) for n in range(6)]

    def unfinished() -> int:
        for result in results:
            result.refresh()
        return sum(result.status not in ("SUCCESSFUL", "FAILED") for result in results)

    assert poll(unfinished, lambda n: n == 0) == 0, running.logs()
    assert [r.status for r in results] == ["SUCCESSFUL"] * 6
    lines = [line.split() for line in runs.read_text().splitlines()]
    assert sorted(int(n) for n, _pid in lines) == list(range(6))  # each task ran once
    assert len({pid for _n, pid in lines}) == 2  # by both workers
