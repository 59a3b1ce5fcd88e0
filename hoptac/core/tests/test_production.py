"""Production mode (hoptac/settings.py, scripts/serve, docs/deployment.md): the settings refuse to start with
DEBUG off and no secret key; `check --deploy` is clean with the production environment; the pages carry a
Content-Security-Policy that no template breaks with an inline script or event handler; API errors are JSON;
an over-large body is refused before it is read; and the production command serves a page and its static files."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from hoptac.core import errors
from hoptac.core.uploads import MB, UploadSizeLimitMiddleware

ROOT = Path(settings.BASE_DIR)


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="hoptac.example.gov.vn,127.0.0.1",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    env.pop("DJANGO_DEBUG")  # off by default
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_with_the_developer_settings():
    """The test above can fail: with debug settings, --deploy warns (W004 HSTS, W008 SSL redirect, …)."""
    env = production_env(DJANGO_DEBUG="true")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for warning in ("W004", "W008", "W012", "W016", "W018"):
        assert warning in result.stderr + result.stdout


TEMPLATE_DIRS = sorted({p.parent for p in ROOT.joinpath("hoptac").rglob("templates/**/*.html")})
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"(href|action)\s*=\s*[\"']\s*javascript:", re.I)


def test_no_template_has_an_inline_script_or_event_handler():
    """The Content-Security-Policy allows scripts from our static files only: an inline <script> (other than a
    JSON data block, e.g. json_script) or an onclick= would not run in production."""
    offenders = []
    for path in sorted(ROOT.joinpath("hoptac").rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not offenders, offenders


def test_the_template_scan_finds_an_inline_script():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="chart-data-1" type="application/json">{}</script>')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert not EVENT_HANDLER.search('<form data-confirm="Xoá?">')


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_api_docs_load_their_script_from_a_file(admin_client):
    page = admin_client.get("/api/v1/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert not INLINE_SCRIPT.search(html)
    script = admin_client.get("/api/v1/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


@pytest.mark.django_db
def test_unknown_api_url_answers_json_and_pages_answer_html(client):
    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404
    assert api["Content-Type"] == "application/json"
    assert api.json() == {"detail": "Không tìm thấy."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_api_server_error_is_json():
    request = RequestFactory().get("/api/v1/organisations/")
    response = errors.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["detail"].startswith("Hệ thống gặp lỗi")
    page = errors.server_error(RequestFactory().get("/registry/"))
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_an_over_large_upload_is_refused_from_its_length_before_it_is_read(client, settings):
    settings.HOPTAC_MAX_UPLOAD_BYTES = 1 * MB
    response = client.generic(
        "POST",
        "/api/v1/import-jobs/",
        data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * MB),
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Tệp tải lên không được nhận: lớn hơn 1 MB")
    page = client.generic("POST", "/imports/", data=b"x", CONTENT_LENGTH=str(2 * MB))
    assert page.status_code == 413
    assert "lớn hơn 1 MB" in page.content.decode()
    # Nothing after the check runs, so nothing reads the body; a body under the cap goes on.
    request = RequestFactory().post("/imports/", data=b"x", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = str(50 * MB)
    refuse = UploadSizeLimitMiddleware(lambda r: pytest.fail("the body was passed on"))
    assert refuse(request).status_code == 413
    small = RequestFactory().post("/imports/", data=b"x", content_type="text/plain")
    assert UploadSizeLimitMiddleware(lambda r: "passed on")(small) == "passed on"


def test_request_size_caps_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * MB
    assert 0 < settings.HOPTAC_MAX_UPLOAD_BYTES <= 50 * MB


# --- The production command --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own 127.0.0.1)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def serve_database():
    """A database of its own for the served process: a fresh PostgreSQL database beside the suite's (the test
    using it runs in the PostgreSQL pass only)."""
    url = os.environ["DATABASE_URL"]
    import psycopg

    name = f"hoptac_serve_{os.getpid()}"
    base, _slash, _db = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Production runs on PostgreSQL (scripts/serve warns on anything else): the command is exercised in the
# PostgreSQL pass of `make test` and deselected, not skipped, in the SQLite pass (conftest.py; decision 0041).
@pytest.mark.one_database("postgresql")
def test_the_production_command_serves_pages_and_static_files(serve_database, tmp_path):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists() and not os.environ.get("CI"):
        pytest.skip("gunicorn is not installed in this environment (make install installs it)")
    port = free_port()
    env = production_env(
        DATABASE_URL=serve_database,
        STATIC_ROOT=str(tmp_path / "static"),
        HOPTAC_BIND=f"127.0.0.1:{port}",
        HOPTAC_PYTHON=sys.executable,
        WEB_CONCURRENCY="2",
    )
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        ["bash", "scripts/serve", "all"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, headers, body = fetch(f"{base}/accounts/login/")
                break
            except OSError:
                time.sleep(1)
        log.seek(0)
        output = log.read()
        assert status == 200, output
        html = body.decode()
        assert "Strict-Transport-Security" in headers and "Content-Security-Policy" in headers
        assert "secure" in headers.get("Set-Cookie", "").lower()
        # The stylesheet by its hashed name (whitenoise's manifest storage), and compressed, cached forever.
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
        assert stylesheet, html[:2000]
        css_status, css_headers, css = fetch(base + stylesheet.group(1))
        assert css_status == 200 and css_headers["Content-Type"].startswith("text/css") and css
        assert "immutable" in css_headers.get("Cache-Control", "")
        # API docs' vendored assets (drf-spectacular-sidecar) are there too.
        sidecar = fetch(base + "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
        assert sidecar[0] == 200
        # Over plain HTTP (no proxy header) the page redirects to HTTPS.
        plain = urllib.request.Request(f"{base}/accounts/login/", headers={"Host": "127.0.0.1"})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(plain, timeout=10)  # noqa: S310 (our own 127.0.0.1)
            redirected = None
        except urllib.error.HTTPError as error:
            redirected = (error.code, error.headers["Location"])
        assert redirected == (301, "https://127.0.0.1/accounts/login/")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    assert process.returncode is not None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    """PostgreSQL in production: a connection per worker, kept (CONN_MAX_AGE) and health-checked, not one per
    request; debug keeps one per request."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )

    def conn_settings(**env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    pg = "postgres://postgres@127.0.0.1:5432/unused"
    settings_module = {"DJANGO_SETTINGS_MODULE": "hoptac.settings"}
    assert conn_settings(**production_env(DATABASE_URL=pg, **settings_module)) == "600 True"
    assert (
        conn_settings(**production_env(DATABASE_URL=pg, DJANGO_CONN_MAX_AGE="60", **settings_module))
        == "60 True"
    )
    assert (
        conn_settings(**production_env(DATABASE_URL=pg, DJANGO_DEBUG="true", **settings_module)) == "0 True"
    )
