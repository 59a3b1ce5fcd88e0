"""Every page, in headless Chromium, for every role that may open it: axe-core (vendored from npm, see
vendor/axe-core/README.md) finds no serious or critical WCAG 2.1 A/AA violation, and at a phone's width
(390 px) nothing is wider than the screen, a table wider than its box says so, and the panels that should
start closed on a phone (filters, the plan's document panels) are closed.

The pages are those of the access matrix (ENDPOINTS of test_access_matrix.py, on its world): every HTML page
a role gets with 200 is checked, so a page added to the matrix is checked here without a word. Downloads,
exports and the API are not pages and are left out by their answer's content type.

What it costs, and what is left out to keep it affordable (docs/decisions/0031):
- The admin's pages are all drawn. Another role's page is drawn only when its markup has a shape no role
  before it had on that page (`_shape`: the set of elements by tag, class, type and role, and which ARIA and
  labelling attributes they carry; texts, numbers and row counts are left out). A role that gets the same
  markup as the admin, only with other rows, would find what the admin's pass found; a role that gets a
  form, a button, a badge or a panel the admin does not see is drawn. HOPTAC_A11Y_ALL=1 draws every page of
  every role (the full sweep, about 5 times longer).
- Each page is loaded once: axe at 1440 px, then the window is narrowed to 390 px and the widths measured on
  the same page (the media queries and layout.js's resize handler apply as on a phone).
- It runs on SQLite only: the markup does not depend on the database, and the PostgreSQL pass of `make test`
  would pay the same minutes for the same answer.

Screenshots at 390 px and 1440 px go to /tmp/hoptac-screens/a11y-<role>-<page>-<width>.png when
HOPTAC_A11Y_SCREENS=1 (they are for looking at, not for the assertion)."""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from hoptac.areas.tests.factories import ensure_map
from hoptac.core.browser import SCREENS, screenshot

from .test_access_matrix import ENDPOINTS, Visit
from .world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PHONE, DESKTOP = 390, 1440
# The roles whose pages differ: every page is drawn for each of them (the viewer with areas sees what the
# commune officer sees, read-only; the viewer without areas what the province sees, read-only).
ROLES = ("admin", "province", "commune", "representative", "viewer")
SERIOUS = {"serious", "critical"}
# URL names of files, not pages (an export or a report would be generated only to be thrown away).
NOT_PAGES = ("export", "download", "_file", "annotated", "template", "progress")
ONLY_ROLES = [r for r in os.environ.get("HOPTAC_A11Y_ROLES", "").split(",") if r]
EVERY_PAGE = os.environ.get("HOPTAC_A11Y_ALL") == "1"
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)(?:="([^"]*)")?')
KEEP_VALUE = {"class", "type", "role", "scope"}

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
}).then((result) => done(result.violations.map((v) => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' — ' + n.failureSummary.split('\\n')[1]),
})))).catch((error) => done([{id: 'axe-error', impact: 'critical', help: String(error), nodes: []}]));
"""

# What sticks out to the right of a phone's screen: the page's own width, and the elements wider than the
# viewport that are not inside a horizontally scrolling box (a wide table in such a box is the intended cue).
# A table wider than its scrolling box must say so (layout.js: a visible hint above it); the resize event is
# sent here so that the hint does not depend on when the browser delivers it after the window was narrowed.
OVERFLOW = """
window.dispatchEvent(new Event('resize'));
const width = document.documentElement.clientWidth;
const silent = [];
for (const box of document.querySelectorAll('.table-scroll')) {
  if (box.offsetParent !== null && box.scrollWidth > box.clientWidth + 1) {
    const note = box.previousElementSibling;
    if (!(note && note.classList.contains('scroll-hint') && !note.hidden && note.offsetParent !== null)) {
      silent.push((box.querySelector('caption, th') || box).textContent.trim().slice(0, 40));
    }
  }
}
const scrolls = (el) => {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && p.clientWidth <= width) return true;
  }
  return false;
};
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.width > 0 && box.right > width + 1 && !scrolls(el)) {
    wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' +
      el.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(box.right));
  }
}
return {page: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5), silent: silent.slice(0, 5)};
"""

# On a phone the panels marked to start closed (filters, the plan's document panels) are closed, after the
# browser has delivered the media-query change (two animation frames).
STILL_OPEN = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => done(
  [...document.querySelectorAll('details[data-phone-closed][open]')]
    .filter((d) => !d.querySelector('.has-error, .alert.error')).map((d) => d.className))));
"""


def _pages_of(client: Client, visit: Visit) -> list[tuple[str, str, str]]:
    """(name, url, html) of every matrix endpoint that answers this role with an HTML page."""
    pages = []
    for name, endpoint in ENDPOINTS.items():
        if ":" not in name or any(word in name for word in NOT_PAGES):
            continue  # the API, files and downloads (checked below by content type too)
        try:
            url = endpoint.url(visit)
        except Exception:  # noqa: BLE001,S112 — an object this role's world side lacks: no page to draw
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((name, url, response.content.decode()))
    return pages


def _shape(html: str) -> frozenset[str]:
    """The kinds of element a page is made of: tag, class, type and role with their values, and the names
    of its other attributes that matter to axe (labels, ARIA, focus); no texts, numbers or counts."""
    kinds = set()
    for tag, attributes in TAG.findall(html):
        kept = []
        for name, value in ATTRIBUTE.findall(attributes):
            name = name.lower()
            if name in KEEP_VALUE:
                kept.append(f"{name}={re.sub(r'[0-9]+', '#', value)}")
            elif name.startswith("aria-") or name in {
                "for",
                "id",
                "tabindex",
                "alt",
                "title",
                "href",
                "open",
            }:
                kept.append(name)
        kinds.add(tag.lower() + "[" + " ".join(sorted(kept)) + "]")
    return frozenset(kinds)


def _pages_to_draw(client: Client, visit: Visit, seen: dict[str, set[str]]) -> list[tuple[str, str]]:
    """The role's pages whose shape brings something no role before it had on that page (all of them under
    HOPTAC_A11Y_ALL=1); `seen` gathers the shapes drawn so far by URL name."""
    pages = []
    for name, url, html in _pages_of(client, visit):
        shape = _shape(html)
        if EVERY_PAGE or not shape <= seen.setdefault(name, set()):
            pages.append((name, url))
        seen[name] |= shape
    return pages


def _sign_in(driver, base: str, client: Client) -> None:
    driver.get(base + "/accounts/login/")
    driver.delete_all_cookies()
    driver.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )


# The markup does not depend on the database: drawn in the SQLite pass only (conftest.py deselects it in the
# PostgreSQL pass: it is not a skip, the suite runs it once per `make test`).
@pytest.mark.one_database("sqlite")
def test_every_page_passes_axe_and_fits_a_phone(live_server, browser, _session_media):
    # As every browser module does: an earlier live_server test's flush may have taken the map with it.
    ensure_map()
    world = build_world(media_root=_session_media)
    axe = AXE.read_text(encoding="utf-8")
    shots = os.environ.get("HOPTAC_A11Y_SCREENS") == "1"
    browser.set_script_timeout(60)
    problems: list[str] = []
    seen: dict[str, set[str]] = {}
    drawn = 0
    for role in ONLY_ROLES or ROLES:
        client = Client()
        client.force_login(world.users[role])
        pages = _pages_to_draw(client, Visit(world=world, role=role, side_name="in"), seen)
        assert pages or role != "admin", f"{role}: no page answered"
        _sign_in(browser, live_server.url, client)
        for name, url in pages:
            label = f"{role} {name} {url}"
            browser.set_window_size(DESKTOP, 1000)
            browser.get(live_server.url + url)
            browser.execute_script(axe)
            for violation in browser.execute_async_script(RUN_AXE):
                if violation["impact"] in SERIOUS:
                    problems.append(
                        f"{label}: axe {violation['id']} ({violation['impact']}) {violation['help']}: "
                        + json.dumps(violation["nodes"], ensure_ascii=False)
                    )
            if shots:
                screenshot(browser, f"a11y-{role}-{name.replace(':', '-')}-{DESKTOP}", max_height=4000)
            browser.set_window_size(PHONE, 900)
            fit = browser.execute_script(OVERFLOW)
            if fit["page"] > fit["width"] + 1 or fit["wide"]:
                problems.append(f"{label}: wider than a {PHONE} px screen ({fit})")
            still_open = browser.execute_async_script(STILL_OPEN)
            if still_open:
                problems.append(f"{label}: at {PHONE} px these panels should start closed: {still_open}")
            if fit["silent"]:
                problems.append(
                    f"{label}: a table wider than its box without the hint to scroll ({fit['silent']})"
                )
            if shots:
                screenshot(browser, f"a11y-{role}-{name.replace(':', '-')}-{PHONE}", max_height=4000)
            drawn += 1
    (SCREENS / "a11y-problems.txt").write_text("\n".join(problems), encoding="utf-8")
    assert drawn >= 40, drawn
    assert not problems, f"{len(problems)} problems on {drawn} pages:\n" + "\n".join(problems)
