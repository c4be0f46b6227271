"""The web UI in a real browser: Playwright driving Debian's Chromium (never a downloaded browser).

Opens the story list, a story (its events on a timeline, which outlet covered which event, comparison
panels, articles side by side with highlighted technique spans), an event, an article (legend toggles,
quotes, entities), runs a search, and saves screenshots under var/screenshots/. The fixture article
carries a <script>, an onerror image and javascript: links: none may run or become a live link.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from serve_fixture import HOSTILE_TITLE, build_store, live_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (dev extra)")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install -y chromium; `make test` does it)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db_path = tmp_path_factory.mktemp("browser") / "store.sqlite"
    ids = build_store(db_path)
    with live_server(db_path) as url:
        yield url, ids


@pytest.fixture(scope="module")
def browser() -> Any:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Any:
    """A fresh page that records every dialog (alert) and every page error: a script that ran."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_nothing_ran(page: Any) -> None:
    assert page.dialogs == [] and page.errors == []
    assert page.title() != "owned"
    assert page.evaluate("[...document.links].filter(a => a.protocol === 'javascript:').length") == 0
    assert page.locator("main script, main img").count() == 0


def test_story_list_shows_coverage_and_opens_a_story(site: Any, page: Any) -> None:
    url, _ = site
    page.goto(url + "/")
    rows = page.locator("#story-list tr.story-row")
    assert rows.count() == 2
    assert "Harbour Gazette ×1" in rows.first.inner_text()
    shoot(page, "01-story-list")
    rows.first.locator("a.story-link").click()
    page.wait_for_url("**/stories/s-pier")
    assert page.locator("#story-title").inner_text() == "Port Velm ferry pier reopens"
    for panel in ("timeline", "conflicts", "quotes", "omissions", "techniques"):
        assert page.locator(f"#panel-{panel}").is_visible(), panel
    assert "about two weeks" in page.locator("#panel-conflicts").inner_text()
    assert "<b>blunder</b>" in page.locator("#panel-omissions").inner_text()  # markup shown as text
    assert page.locator("#columns article.column").count() == 3
    marks = page.locator("#columns mark.tech")
    assert marks.count() == 3
    assert page.locator("#columns mark[title='Loaded_Language · score 0.91']").inner_text() == "disgraceful blunder"
    assert_nothing_ran(page)
    shoot(page, "02-story")


def test_story_page_shows_its_events_and_who_covered_them(site: Any, page: Any) -> None:
    url, ids = site
    page.goto(url + "/stories/s-old-pier")  # a merged id: redirected to the living story
    page.wait_for_url("**/stories/s-pier")
    timeline = page.locator("#event-timeline li.event")
    assert timeline.locator("a.event-link").all_inner_texts() == ["Ferry pier reopens", "Storm shuts the ferry pier"]
    assert timeline.locator("time").all_inner_texts() == ["2026-04-06", "2026-04-09"]
    grid = page.locator("#event-grid")
    assert grid.locator("thead th.event-col").all_inner_texts() == ["1. Ferry pier reopens",
                                                                   "2. Storm shuts the ferry pier"]
    cells = {row.get_attribute("data-outlet"): row.locator("td.cell").all_inner_texts()
             for row in grid.locator("tr.outlet-row").all()}
    assert cells == {"Coastal Wire": ["●", "●"], "Harbour Gazette": ["●", "—"]}  # the Gazette skipped the closure
    assert grid.locator("tr[data-outlet='Harbour Gazette'] td.skipped").get_attribute("title") == (
        "Harbour Gazette skipped Storm shuts the ferry pier")
    assert page.locator("#panel-conflicts").is_visible()  # the comparison of the whole story
    assert_nothing_ran(page)
    shoot(page, "07-storyline")
    grid.locator("thead a", has_text="Ferry pier reopens").click()
    page.wait_for_url("**/events/ev-reopened")
    assert page.locator("#event-title").inner_text() == "Ferry pier reopens"
    assert "about two weeks" in page.locator("#panel-conflicts").inner_text()  # the event's own comparison
    assert {a.get_attribute("data-article") for a in page.locator("#columns article.column").all()} == {
        ids["hostile"], ids["calm"]}
    assert_nothing_ran(page)
    shoot(page, "08-event")
    page.locator("#event-story").click()
    page.wait_for_url("**/stories/s-pier")


def test_an_event_without_a_comparison_says_so(site: Any, page: Any) -> None:
    url, ids = site
    page.goto(url + "/events/ev-closed")
    assert page.locator("#no-comparison").is_visible()
    assert page.locator("#columns article.column").get_attribute("data-article") == ids["closed"]
    assert page.locator("#event-story").inner_text() == "Port Velm ferry pier reopens"


def test_article_page_names_its_event_and_story(site: Any, page: Any) -> None:
    url, ids = site
    page.goto(f"{url}/articles/{ids['calm']}")
    assert page.locator("#article-event").inner_text() == "Ferry pier reopens"
    assert page.locator("#article-event").get_attribute("href") == "/events/ev-reopened"
    assert page.locator("a.article-story").get_attribute("href") == "/stories/s-pier"


def test_article_page_highlights_with_a_working_legend(site: Any, page: Any) -> None:
    url, ids = site
    page.goto(f"{url}/articles/{ids['hostile']}")
    assert page.locator("#article-title").inner_text() == HOSTILE_TITLE  # the <script> is text in the title
    assert '<script>document.title="owned"' in page.locator(".text").inner_text()
    assert page.locator(".unsafe-url").inner_text().startswith("javascript:")
    mark = page.locator("mark[data-technique='Loaded_Language']")
    assert mark.get_attribute("title") == "Loaded_Language · score 0.91"
    background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet loaded under the CSP
    assert page.locator("#quotes li").first.inner_text().startswith('"We fixed it in nine days,"')
    assert "Lena Marsh" in page.locator("#entities").inner_text()
    assert page.locator("#technique-summary").inner_text() == "2 technique spans in 2 of 4 sentences (50%)."
    shoot(page, "03-article")
    page.locator(".legend-item[data-technique='Loaded_Language']").click()  # app.js runs under the CSP
    assert "off" in (mark.get_attribute("class") or "")
    assert_nothing_ran(page)
    page.locator("#quotes a", has_text="Lena Marsh").click()
    page.wait_for_url(lambda address: "/speaker?name=Lena" in address)
    assert page.locator("ul.quotes li").count() == 2
    shoot(page, "04-speaker")


def test_the_browser_enforces_the_csp_on_injected_inline_script(site: Any, page: Any) -> None:
    """Defence in depth: were some markup ever to slip through escaping, an inline script would still not run."""
    url, ids = site
    page.goto(f"{url}/articles/{ids['hostile']}")
    ran = page.evaluate(
        """() => new Promise(done => {
            document.addEventListener("securitypolicyviolation", () => done(window.injected === true));
            setTimeout(() => done(window.injected === true), 3000);  // no violation reported: did it run?
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        })"""
    )
    assert ran is False


def test_search_with_filters(site: Any, page: Any) -> None:
    url, _ = site
    page.goto(url + "/search")
    page.fill("#search-form input[name=q]", "pier")
    page.select_option("select[name=technique]", "Doubt")
    page.locator("#search-form button").click()
    page.wait_for_url(lambda address: "q=pier" in address)
    hits = page.locator("#hits li.hit")
    assert hits.count() == 1
    assert hits.first.locator("a").first.inner_text() == "Port Velm ferry pier open again"
    assert_nothing_ran(page)
    shoot(page, "05-search")


def test_outlet_profile_has_a_chart(site: Any, page: Any) -> None:
    url, _ = site
    page.goto(url + "/outlet?name=Harbour+Gazette")
    assert page.locator("svg.chart rect.bar").count() == 2
    assert page.locator("dl.figures").inner_text().count("1") >= 2
    shoot(page, "06-outlet")
