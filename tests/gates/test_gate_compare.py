"""Compare any set (/comparison/, docs/javascripts/compare.js) in Chromium: the reader's picks live in the URL,
columns follow the order picked, a picked framework's cells load from its column page, differences-only and
compact views, a header row that stays in view, and the default pair with a link per column without JavaScript."""

from __future__ import annotations

import pytest

from macros.dataset import load_dataset

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGE = "/comparison/"


@pytest.fixture(scope="module")
def ds():
    data = load_dataset()
    assert len(data.frameworks) >= 5, "these checks need the field: five frameworks or more in data/frameworks/"
    return data


def settled(page) -> None:
    """compare.js has run and no column is still loading."""
    page.wait_for_selector("#fw-compare[data-ready]:not([aria-busy])", state="attached", timeout=10_000)


def header(page) -> list[str]:
    settled(page)
    return page.locator("#fw-compare-table thead th:visible").evaluate_all("els => els.map(e => e.dataset.fw || '')")


def visible_rows(page) -> list[str]:
    settled(page)
    return page.locator("#fw-compare-table tbody tr[id^='c-']:visible").evaluate_all("els => els.map(e => e.id)")


def test_the_picks_live_in_the_url_in_the_order_picked(open_page, ds):
    a, b, c = (f.id for f in ds.frameworks[2:5])
    visit = open_page(f"{PAGE}?fw={c},{a}")
    page = visit.page
    assert header(page) == ["", c, a], "columns follow the order in the URL; the rest are hidden"
    first = page.locator("#fw-compare-table tbody tr[id^='c-']").first
    assert first.locator("td:visible").evaluate_all("els => els.map(e => e.dataset.fw)") == [c, a]
    page.locator(f'#fw-compare-form input[name="fw"][value="{b}"]').check()
    assert f"fw={c}%2C{a}%2C{b}" in page.url
    assert header(page) == ["", c, a, b]
    page.go_back(wait_until="load")
    assert header(page) == ["", c, a]
    page.reload(wait_until="load")
    assert header(page) == ["", c, a]
    assert len(visible_rows(page)) == len(ds.criteria)
    assert not visit.console_errors + visit.page_errors


def test_differences_only_shows_exactly_the_criteria_whose_facts_differ(open_page, ds):
    a, b = ds.frameworks[0], ds.frameworks[-1]
    page = open_page(f"{PAGE}?fw={a.id},{b.id}&diff=1").page
    differ = [
        f"c-{c.id}"
        for c in ds.criteria
        if (a.facts[c.id].value, a.facts[c.id].plugins) != (b.facts[c.id].value, b.facts[c.id].plugins)
    ]
    assert 0 < len(differ) < len(ds.criteria)
    assert visible_rows(page) == differ
    assert (
        f"{len(differ)} of {len(ds.criteria)} criteria shown (only differences)"
        in page.locator("#fw-compare-count").inner_text()
    )
    page.locator('#fw-compare-form input[name="diff"]').uncheck()
    assert len(visible_rows(page)) == len(ds.criteria) and "diff=1" not in page.url


def test_categories_and_the_compact_view(open_page, ds):
    a, b = ds.frameworks[0].id, ds.frameworks[1].id
    cat = ds.categories[1]
    page = open_page(f"{PAGE}?fw={a},{b}&cat={cat.id}&view=compact").page
    settled(page)
    assert visible_rows(page) == [f"c-{c.id}" for c in ds.criteria if c.category == cat.id]
    assert page.locator("#fw-compare-table tbody[data-cat]:visible").count() == 1
    cells = page.locator("#fw-compare-table td.fw-cell:visible")
    partial = page.locator("#fw-compare-table td.fw-cell:visible:has(.fw-value-partial)").count()
    assert cells.count() > 0
    assert page.locator("#fw-compare-table td.fw-cell:visible .fw-summary:visible").count() == partial, (
        "the compact view shows values only, except the one-line limit of a partial value"
    )
    assert page.locator("#fw-compare-table .fw-meta:visible").count() == 0
    page.locator('#fw-compare-form input[name="view"][value="full"]').check()
    assert page.locator("#fw-compare-table td.fw-cell:visible .fw-summary:visible").count() == cells.count()


def test_at_most_four_and_never_fewer_than_two(open_page, ds):
    ids = [f.id for f in ds.frameworks]
    visit = open_page(f"{PAGE}?fw={','.join(ids[:6])}")
    page = visit.page
    assert header(page) == ["", *ids[:4]]
    assert page.locator(f'#fw-compare-form input[name="fw"][value="{ids[5]}"]').is_disabled()
    visit2 = open_page(f"{PAGE}?fw=nope,{ids[0]}&cat=nope")  # too few valid picks: the default pair, all categories
    default = page.locator("#fw-compare").get_attribute("data-default").split(",")
    assert header(visit2.page) == ["", *default]
    assert len(visible_rows(visit2.page)) == len(ds.criteria)
    box = visit2.page.locator(f'#fw-compare-form input[name="fw"][value="{default[0]}"]')
    box.click()  # try to remove one of the last two
    assert box.is_checked() and header(visit2.page) == ["", *default], "the last two picks cannot be removed"
    assert "at least two" in visit2.page.locator("#fw-compare-count").inner_text()
    assert not visit.console_errors + visit.page_errors + visit2.console_errors + visit2.page_errors


def test_the_header_row_stays_in_view(open_page, ds):
    page = open_page(f"{PAGE}?fw={ds.frameworks[0].id},{ds.frameworks[1].id}").page
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(200)
    box = page.locator("#fw-compare-table thead th").first.bounding_box()
    assert box is not None and 0 <= box["y"] < 200, f"the header row scrolled away: {box}"
    table = page.locator("#fw-compare-table").bounding_box()
    assert table is not None and table["y"] < 0, "the page did not scroll into the table"


def test_without_javascript_the_default_pair_shows_and_every_column_is_linked(browser, base_url: str, ds):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + PAGE + "?fw=flask,quart&diff=1", wait_until="load")
        assert not page.locator("#fw-compare-form").is_visible()
        default = ds.decision.pairs[0]
        cols = page.locator("#fw-compare-table thead th").evaluate_all("els => els.map(e => e.dataset.fw || '')")
        assert cols == ["", *default], "the pair in its own order, as compare.js shows picks"
        assert page.locator("#fw-compare-table tbody tr[id^='c-']:visible").count() == len(ds.criteria)
        assert page.locator("#fw-compare-table td.fw-cell .fw-meta:visible").count() == len(ds.criteria) * 2
        links = page.locator(".fw-columns a").evaluate_all("els => els.map(e => e.href)")
        assert links == [f"{base_url}{PAGE}{f.id}/" for f in ds.frameworks]
        page.goto(links[-1], wait_until="load")
        assert page.locator("#fw-column-table td.fw-cell .fw-meta:visible").count() == len(ds.criteria)
    finally:
        context.close()


def test_a_picked_framework_loads_once_with_links_that_work(open_page, ds, base_url: str):
    default = ds.decision.pairs[0]
    other = next(f.id for f in ds.frameworks if f.id not in default)
    visit = open_page(PAGE)
    page = visit.page
    assert not any(f"/comparison/{other}/" in url for url in visit.requests), "a column loads only when picked"
    page.locator(f'#fw-compare-form input[name="fw"][value="{other}"]').check()
    assert header(page) == ["", *default, other]
    cells = page.locator(f"#fw-compare-table td.fw-cell[data-fw='{other}']")
    assert cells.count() == len(ds.criteria)
    assert page.locator(f"#fw-compare-table td.fw-cell[data-fw='{other}']:visible .fw-meta").count() == len(ds.criteria)
    hrefs = set(cells.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    internal = sorted(h for h in hrefs if h.startswith("/"))
    assert internal, "the column's cells link the site's own pages"
    for href in internal:
        response = page.request.get(base_url + href.split("#")[0])
        assert response.status == 200, href
    page.locator(f'#fw-compare-form input[name="fw"][value="{other}"]').uncheck()
    page.locator(f'#fw-compare-form input[name="fw"][value="{other}"]').check()
    assert header(page) == ["", *default, other]
    assert sum(f"/comparison/{other}/" in url for url in visit.requests) == 1, "fetched once"
    assert cells.count() == len(ds.criteria)
    assert not visit.console_errors + visit.page_errors


def test_a_column_that_fails_to_load_is_dropped_with_a_link_to_it(open_page, ds):
    default = ds.decision.pairs[0]
    other = next(f.id for f in ds.frameworks if f.id not in default)
    page = open_page(PAGE).page
    page.route(f"**/comparison/{other}/", lambda route: route.fulfill(status=503, body="down"))
    # click, not check: the failed load unchecks the box again, which check() would report as its own failure
    page.locator(f'#fw-compare-form input[name="fw"][value="{other}"]').click()
    assert header(page) == ["", *default]
    assert not page.locator(f'#fw-compare-form input[name="fw"][value="{other}"]').is_checked()
    message = page.locator("#fw-compare-count")
    assert "Could not load" in message.inner_text()
    assert message.locator("a").get_attribute("href").endswith(f"/comparison/{other}/")


def _notes_text(ds, fw_id: str, crit_id: str) -> str:
    return " ".join(ds.framework(fw_id).facts[crit_id].notes.replace("`", "").split())


def test_the_default_pair_s_notes_load_from_their_column_when_opened(open_page, ds, base_url: str):
    """The page does not carry the default pair's notes: opening a toggle loads them from the framework's column
    page (once, whichever row), and a notes link in them works like the column's."""
    default = ds.decision.pairs[0]
    fw = default[0]
    with_notes = [c.id for c in ds.criteria if ds.framework(fw).facts[c.id].notes]
    assert len(with_notes) >= 2
    visit = open_page(PAGE)
    page = visit.page
    assert not any("/comparison/" in url and url.rstrip("/").split("/")[-1] in default for url in visit.requests)
    for crit in with_notes[:2]:
        notes = page.locator(f"#c-{crit} td[data-fw='{fw}'] details.fw-notes")
        notes.locator("summary").click()
        page.wait_for_function(
            "el => !el.hasAttribute('data-notes') && !el.hasAttribute('aria-busy')", arg=notes.element_handle()
        )
        assert " ".join(notes.locator("p").inner_text().split()) == _notes_text(ds, fw, crit)
    assert sum(f"/comparison/{fw}/" in url for url in visit.requests) == 1, "the column page is fetched once"
    assert not visit.console_errors + visit.page_errors + visit.bad_responses


def test_notes_that_fail_to_load_keep_their_link_to_the_criterion_page(open_page, ds):
    default = ds.decision.pairs[0]
    fw = default[1]
    crit = next(c.id for c in ds.criteria if ds.framework(fw).facts[c.id].notes)
    page = open_page(PAGE).page
    page.route(f"**/comparison/{fw}/", lambda route: route.fulfill(status=503, body="down"))
    notes = page.locator(f"#c-{crit} td[data-fw='{fw}'] details.fw-notes")
    notes.locator("summary").click()
    page.wait_for_function("el => !el.hasAttribute('aria-busy')", arg=notes.element_handle())
    assert "could not load them here: 503" in notes.inner_text()
    href = notes.locator("a").get_attribute("href")
    assert href.endswith(f"criteria/{crit}/#fw-{fw}"), href


def test_without_javascript_a_notes_toggle_links_the_criterion_page_that_holds_the_notes(browser, base_url, ds):
    fw = ds.decision.pairs[0][0]
    crit = next(c.id for c in ds.criteria if ds.framework(fw).facts[c.id].notes)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + PAGE, wait_until="load")
        notes = page.locator(f"#c-{crit} td[data-fw='{fw}'] details.fw-notes")
        notes.locator("summary").click()
        notes.locator("a").click()
        page.wait_for_load_state("load")
        assert page.url == f"{base_url}/criteria/{crit}/#fw-{fw}"
        text = " ".join((page.locator(f"#fw-{fw} .fw-notes p").text_content() or "").split())
        assert text == _notes_text(ds, fw, crit)
    finally:
        context.close()
