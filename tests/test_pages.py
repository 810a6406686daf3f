"""The declared pages (analytics.present.pages) and their scripts."""

import re
from pathlib import Path

from analytics.present.pages import PAGES

REPO = Path(__file__).resolve().parent.parent


def test_no_script_is_named_as_a_page_key():
    """A link straight to a page (`/what_if?present=1`) on a server's first run must reach the
    router: Streamlit's legacy discovery would run a script named as the key on its own."""
    legacy = {re.sub(r"^[0-9]*[_ -]*", "", p.script.removesuffix(".py")) for p in PAGES}  # its URL paths
    assert not legacy & {p.key for p in PAGES}
    assert sorted(p.script for p in PAGES) == sorted(f.name for f in (REPO / "pages").glob("*.py"))
