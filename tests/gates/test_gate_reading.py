"""Reading on a phone and a desktop: every framework's value of a criterion table is on screen at 390 px,
wider tables show that they scroll, and the notes toggle looks like a control."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("page_path, table", [("/comparison/", ".fw-comparison table"), ("/", ".fw-glance table")])
def test_every_framework_cell_of_a_criterion_is_on_screen_at_390px(open_page, page_path: str, table: str):
    path = page_path
    page = open_page(path, **PHONE).page
    rows = page.locator(f"{table} tbody tr:has(td)")
    assert rows.count() > 10
    frameworks = page.locator(f"{table} thead th[scope=col]:visible").count() - 1  # the compare page shows picks
    if page_path == "/comparison/":
        assert frameworks == 2, "the comparison starts with the default pair"
    for i in (0, rows.count() // 2, rows.count() - 1):
        cells = rows.nth(i).locator("td:visible")
        assert cells.count() == frameworks
        for j in range(frameworks):
            cell = cells.nth(j)
            cell.scroll_into_view_if_needed()
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (
                f"{path}: row {i}, framework column {j} is off-screen at 390 px: {box}"
            )
            label = page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle())
            assert label.strip('"') == cell.get_attribute("data-label"), "a card cell must say whose value it is"


def test_tables_wider_than_a_phone_show_a_scroll_affordance(open_page):
    page = open_page("/decision-matrix/", **PHONE).page
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.fw-scroll')]
        .filter(el => el.scrollWidth > el.clientWidth + 1)
        .map(el => ({image: getComputedStyle(el).backgroundImage,
                     attach: getComputedStyle(el).backgroundAttachment}))""")
    assert overflowing, "expected at least one table wider than 390 px on the decision matrix"
    for style in overflowing:
        assert "gradient" in style["image"] and "local" in style["attach"], style


def test_the_notes_toggle_looks_like_a_control(open_page):
    page = open_page("/comparison/").page
    summary = page.locator("details.fw-notes > summary").first
    marker = page.evaluate("el => getComputedStyle(el, '::before').content", summary.element_handle())
    assert marker == '"\u25b8\u00a0"' and summary.evaluate("el => getComputedStyle(el).cursor") == "pointer"
    summary.click()
    marker = page.evaluate("el => getComputedStyle(el, '::before').content", summary.element_handle())
    assert marker == '"\u25be\u00a0"'


def test_claims_filter_by_verdict_and_topic_and_keep_it_in_the_url(open_page):
    visit = open_page("/claims/")
    page = visit.page
    total = page.locator("h3[data-verdict]").count()
    false_claims = page.locator("h3[data-verdict=false]").count()
    assert total > false_claims > 0
    page.locator("#fw-claims-verdict").select_option("false")
    assert page.locator("h3[data-verdict]:visible").count() == false_claims
    assert page.locator("div.fw-claim:visible").count() == false_claims
    assert page.locator("#fw-claims-count").inner_text() == f"{false_claims} of {total} claims"
    assert "verdict=false" in page.url
    page.reload(wait_until="load")
    assert page.locator("#fw-claims-verdict").input_value() == "false"
    assert page.locator("h3[data-verdict]:visible").count() == false_claims
    topic = page.locator("h3[data-verdict=false]").first.get_attribute("data-topic")
    page.locator("#fw-claims-topic").select_option(topic)
    both = page.locator(f"h3[data-verdict=false][data-topic={topic}]").count()
    assert page.locator("h3[data-verdict]:visible").count() == both
    assert page.locator("h2[data-topic]:visible").count() == 1
    page.go_back(wait_until="load")
    assert page.locator("#fw-claims-topic").input_value() == ""
    assert not visit.console_errors + visit.page_errors


def test_claims_without_javascript_are_all_shown(browser, base_url: str):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/claims/?verdict=false", wait_until="load")
        assert page.locator("h3[data-verdict]:visible").count() == page.locator("h3[data-verdict]").count()
        assert not page.locator("#fw-claims-filter").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    "page_path, headings",
    [
        ("/claims/", "h3[data-verdict]"),
        ("/use-cases/", "h2[id^=uc-]"),
        ("/decision-matrix/", "h2[id^=uc-]"),
        ("/benchmarks/", "h2[id]"),
    ],
)
def test_long_pages_have_a_table_of_contents_with_every_entry(open_page, page_path: str, headings: str):
    page = open_page(page_path).page
    ids = page.eval_on_selector_all(f".md-content {headings}", "els => els.map(e => e.id)")
    assert len(ids) >= 4
    toc = page.eval_on_selector_all(
        ".md-sidebar--secondary .md-nav__link", "els => els.map(e => (e.getAttribute('href') || '').split('#')[1])"
    )
    missing = [i for i in ids if i not in toc]
    assert not missing, f"{page_path}: headings not in the table of contents: {missing}"
    assert page.locator(".md-sidebar--secondary").is_visible()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("WebSockets", "/criteria/websockets/"),
        ("Admin interface", "/criteria/admin-interface/"),
        ("Schema migrations", "/criteria/migrations/"),
    ],
)
def test_a_search_for_a_criterion_lands_on_its_page_first(open_page, query: str, expected: str):
    visit = open_page("/")
    page = visit.page
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    # Results appear while typing ("web" before "WebSockets"); wait for those of the whole query, which
    # Material marks in each result's link (?h=websockets).
    want = "h=" + "+".join(query.lower().split())
    page.wait_for_function(
        """want => { const a = document.querySelector('.md-search-result__item > a');
                     return a !== null && a.getAttribute('href').includes(want); }""",
        arg=want,
        timeout=15_000,
    )
    href = page.locator(".md-search-result__item > a").first.get_attribute("href")
    assert urlsplit(href).path.endswith(expected), href


def test_no_code_block_on_a_task_page_scrolls_sideways_at_1280px_when_its_lines_fit_100_characters(
    open_page, site_pages
):
    tasks = [p for p in site_pages if p.startswith("/tasks/") and p != "/tasks/"]
    assert tasks
    for path in tasks:
        page = open_page(path, width=1280).page
        blocks = page.eval_on_selector_all(
            ".fw-side-by-side pre > code",
            """els => els.map(el => ({
            longest: Math.max(...el.textContent.split('\\n').map(l => l.length)),
            scrolls: el.scrollWidth > el.clientWidth + 1
                     || el.parentElement.scrollWidth > el.parentElement.clientWidth + 1}))""",
        )
        assert blocks, path
        bad = [b for b in blocks if b["longest"] <= 100 and b["scrolls"]]
        assert not bad, f"{path}: {len(bad)} code blocks scroll sideways: {bad[:3]}"


def test_a_partial_value_says_its_limit_on_the_home_table(open_page):
    page = open_page("/").page
    cells = page.locator(".fw-glance td:has(.fw-value-partial)")
    assert cells.count() > 0
    for i in range(cells.count()):
        assert cells.nth(i).locator(".fw-limit").inner_text().strip()


def test_benchmark_chart_labels_are_at_least_11px_on_a_phone(open_page):
    page = open_page("/benchmarks/", **PHONE).page
    sizes = page.eval_on_selector_all(
        ".fw-chart svg",
        """svgs => svgs.map(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll('text')]
            .map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
    })""",
    )
    assert sizes, "no chart on the benchmarks page"
    assert min(sizes) >= 11, f"the smallest chart label renders at {min(sizes):.1f} px at 390 px"
