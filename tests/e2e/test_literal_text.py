"""In a real browser: a scenario's name and description (user text, from a link) show exactly as typed:
no link, heading, list, colour, icon, emoji or maths is made of them."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.e2e.browser import BROWSER

pytestmark = BROWSER

NAME = "see https://evil.example/x :red[alarm] :material/home: :smile: **b** $x$ a@b.example"
DESCRIPTION = "Title\n===\n- one\n- two\n> quote\n    code\nwww.evil.example [l](http://x.example)"

MARKUP_JS = """(root) => {
  const q = s => root.querySelectorAll(s).length;
  return {links: q('a'), headings: q('h1,h2,h3,h4,h5,h6'), lists: q('li'), code: q('code,pre'), bold: q('strong'),
          quotes: q('blockquote'), maths: q('.katex'), icons: q('[data-testid=stIconMaterial]'),
          colours: q('span[class*=color], span[style*=color]')};
}"""


def test_scenario_text_from_a_link_is_shown_literally(page, app_server, idle):
    query = urlencode({"name": NAME, "description": DESCRIPTION})
    page.goto(f"{app_server.url}/report?{query}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", state="attached")
    idle(page, timeout=60_000)

    header = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first
    shown = header.inner_text().replace("\u2060", "")
    assert NAME in shown
    found = header.evaluate(MARKUP_JS)
    assert found == {**{k: 0 for k in found}, "bold": 1}, found  # only the app's own bold name

    # the Report page's description: every line as typed, nothing made of it
    block = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="quote").first
    assert block.inner_text().replace("\u2060", "").replace("\u00a0", " ").split("\n") == DESCRIPTION.split("\n")
    found = block.evaluate(MARKUP_JS)
    assert found == {k: 0 for k in found}, found
