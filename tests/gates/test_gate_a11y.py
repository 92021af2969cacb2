"""Gate 2, accessibility: axe-core on every page (light and dark scheme) finds nothing serious or critical,
and the keyboard reaches and operates the header controls and the main navigation."""

from __future__ import annotations

import pytest
from defects import SITE_DEFECTS
from gatekit import node_tool, page_id, xfail_defects

pytestmark = [pytest.mark.browser, pytest.mark.build]

SCHEMES = ["light", "dark"]
BLOCKING = ("serious", "critical")
DEFECTS = SITE_DEFECTS["axe"]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 240),
                              summary: (n.failureSummary || '').slice(0, 400)})),
  }));
}"""


class AxeRunner:
    """Runs axe once per (page, scheme) per session and keeps the violations."""

    def __init__(self, browser, base_url: str, source: str):
        self.browser, self.base_url, self.source = browser, base_url, source
        self.cache: dict[tuple[str, str], list[dict]] = {}

    def violations(self, path: str, scheme: str) -> list[dict]:
        key = (path, scheme)
        if key not in self.cache:
            context = self.browser.new_context(
                viewport={"width": 1280, "height": 900}, color_scheme=scheme, reduced_motion="reduce"
            )
            try:
                page = context.new_page()
                page.goto(self.base_url + path, wait_until="load")
                page.wait_for_load_state("networkidle")
                want = "slate" if scheme == "dark" else "default"
                page.wait_for_function(f"document.body.dataset.mdColorScheme === '{want}'", timeout=5000)
                page.add_script_tag(content=self.source)
                self.cache[key] = page.evaluate(RUN_AXE)
            finally:
                context.close()
        return self.cache[key]


@pytest.fixture(scope="module")  # the browser's scope
def axe(browser, base_url) -> AxeRunner:
    path = node_tool("axe-core/axe.min.js")
    with open(path, encoding="utf-8") as f:
        return AxeRunner(browser, base_url, f.read())


def known(rule: str, target: str, path: str) -> bool:
    return any(d.matches(rule, target, path) for d in DEFECTS)


def describe(path: str, scheme: str, v: dict, node: dict) -> str:
    return (
        f"{path} [{scheme}] {v['impact']} {v['id']}: {v['help']}\n"
        f"    at {node['target']}\n    {node['html']}\n    {node['summary'].replace(chr(10), ' / ')}"
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_serious(axe: AxeRunner, path: str, scheme: str):
    problems = [
        describe(path, scheme, v, n)
        for v in axe.violations(path, scheme)
        if v["impact"] in BLOCKING
        for n in v["nodes"]
        if not known(v["id"], f"{n['target']}\n{n['html']}", path)
    ]
    assert not problems, f"{len(problems)} serious/critical accessibility violation(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("defect", list(xfail_defects(DEFECTS)) or [pytest.param(None, id="none-open")])
def test_known_axe_defect_is_fixed(axe: AxeRunner, site_pages, defect):
    if defect is None:
        return  # no open axe defect: nothing to check
    found = [
        describe(path, scheme, v, n)
        for path in site_pages
        for scheme in SCHEMES
        for v in axe.violations(path, scheme)
        for n in v["nodes"]
        if defect.matches(v["id"], f"{n['target']}\n{n['html']}", path)
    ]
    assert not found, f"still present on {len(found)} node(s); fix: {defect.fix}\n" + "\n".join(found[:5])


# --- keyboard ------------------------------------------------------------------------------------------

TAG_TARGETS = """() => {
  const visible = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const targets = [];
  const search = document.querySelector('input.md-search__input');
  if (search) { search.dataset.gateTarget = 'search'; targets.push('search'); }
  if (document.querySelector('[data-md-component=palette] input')) targets.push('palette toggle');
  const links = document.querySelectorAll('.md-tabs a, .md-sidebar--primary .md-nav--primary a.md-nav__link');
  links.forEach((a, i) => { if (visible(a)) { const name = `nav link ${i + 1} ` + a.getAttribute('href') + ' "' +
      a.textContent.trim().replace(/\\s+/g, ' ') + '"';
    a.dataset.gateTarget = name; targets.push(name); } });
  return targets;
}"""

FOCUSED = """() => { const e = document.activeElement;
  if (!e) return null;
  if (e.closest('[data-md-component=palette]')) return 'palette toggle';
  return e.dataset ? (e.dataset.gateTarget || null) : null; }"""


def tab_until(page, wanted: set[str], limit: int = 400) -> set[str]:
    reached: set[str] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(FOCUSED)
        if name:
            reached.add(name)
        if wanted <= reached:
            break
    return reached


@pytest.mark.parametrize("nav_path", ["/", "/comparison/"], ids=page_id)
def test_tab_reaches_search_palette_toggle_and_every_main_nav_link(open_page, nav_path: str):
    page = open_page(nav_path).page
    targets = page.evaluate(TAG_TARGETS)
    assert "search" in targets and "palette toggle" in targets, f"header controls missing: {targets}"
    assert sum(t.startswith("nav link") for t in targets) >= 3, f"main navigation not found: {targets}"
    missing = set(targets) - tab_until(page, set(targets))
    assert not missing, "Tab never reaches: " + "; ".join(sorted(missing))


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


@pytest.mark.parametrize(
    "key",
    [
        "Enter",
        pytest.param(" ", id="Space"),  # docs/javascripts/palette-keys.js
    ],
)
def test_keyboard_operates_palette_toggle(open_page, key: str):
    page = open_page("/").page
    assert "palette toggle" in tab_until(page, {"palette toggle"}, limit=30), "Tab does not reach the toggle"
    before = scheme(page)
    page.keyboard.press(key)
    page.wait_for_timeout(200)
    after = scheme(page)
    assert after != before, f"pressing {key!r} on the focused palette toggle left the scheme at {before!r}"
    assert page.evaluate(FOCUSED) == "palette toggle", "focus left the toggle after switching"
    page.keyboard.press(key)
    page.wait_for_timeout(200)
    assert scheme(page) == before, "pressing the key again does not switch back"
