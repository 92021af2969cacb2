"""The built-site checker itself finds what it must (so a green site check means something)."""

from tests.builtsite import Site


def _site(tmp_path, pages: dict[str, str]) -> Site:
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>")
    return Site(tmp_path, "/guide/")


def test_finds_missing_pages_and_anchors_in_raw_html_links(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="a/#here">ok</a> <a href="a/#gone">bad anchor</a> <a href="b/">no page</a>'
            ' <a href="/guide/a/">absolute ok</a> <a href="/elsewhere/">outside</a>'
            ' <a href="https://example.org/">external, not checked</a>',
            "a/index.html": '<h2 id="here">x</h2>',
        },
    )
    assert sorted(str(b) for b in site.broken_links()) == [
        "index.html: /elsewhere/: points outside the site",
        "index.html: a/#gone: no element with id 'gone' on a/index.html",
        "index.html: b/: no such file",
    ]


def test_resolves_the_base_path_itself_to_the_home_page(tmp_path):
    site = _site(tmp_path, {"index.html": '<h1 id="top">home</h1>', "a/index.html": '<a href="/guide/#top">home</a>'})
    assert site.broken_links() == []
    assert site.internal_links("a/index.html") == {("index.html", "top")}


def test_finds_resources_from_other_hosts_but_not_plain_links(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<script src="https://cdn.example/x.js"></script>'
            '<link rel="stylesheet" href="https://fonts.example/f.css">'
            '<link rel="canonical" href="https://site.example/">'
            '<a href="https://docs.example/">docs</a><img src="local.png">'
            '<div style="background: url(https://img.example/b.png)"></div>'
        },
    )
    assert site.third_party_requests() == [
        "index.html: https://cdn.example/x.js",
        "index.html: https://fonts.example/f.css",
        "index.html: https://img.example/b.png",
    ]
