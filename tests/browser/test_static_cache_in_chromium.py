"""A second page asks the server for no stylesheet, script or font: they are cached for a year."""

import pytest
from flask import request

pytestmark = pytest.mark.browser


def test_a_second_page_requests_no_css_script_or_font(app, page):
    asked: list[str] = []
    app.before_request(lambda: asked.append(request.path) if "/static/" in request.path else None)
    page.goto("/en/login")
    page.wait_for_load_state("networkidle")
    first = list(asked)
    assert {path.rsplit(".", 1)[-1] for path in first} >= {"css", "js", "woff2"}
    asked.clear()
    page.goto("/ar/login")  # another page, in a script that needs another font too
    page.wait_for_load_state("networkidle")
    assert [path for path in asked if path in first] == []
