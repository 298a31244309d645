"""Static files are cached for a year under URLs that carry their content's hash."""

import os
import re
from pathlib import Path

import pytest

from engine.app import static_assets

pytestmark = pytest.mark.database_incidental

YEAR = "public, max-age=31536000, immutable"
ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _assets(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in ASSETS.findall(html)]


def test_every_asset_a_page_links_is_versioned_by_its_content_and_kept_for_a_year(client):
    linked = _assets(client.get("/en/login").text) + _assets(client.get("/admin/login").text)
    assert {url.rsplit(".", 1)[-1].split("?")[0] for url in linked} >= {"css", "js"}
    for url in linked:
        path, version = re.fullmatch(r"([^?]+)\?v=([0-9a-f]{12})", url).groups()
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == YEAR, url
        assert version == static_assets.hash_of(_file(path))


def test_the_fonts_a_stylesheet_names_are_versioned_too(client):
    fonts = re.findall(r'url\("([^"]+)"\)', client.get("/static/respondent/fonts.css").text)
    assert len(fonts) == 9
    for font in fonts:
        name, version = re.fullmatch(r"fonts/([^?]+)\?v=([0-9a-f]{12})", font).groups()
        response = client.get(f"/static/respondent/{font}")
        assert response.headers["Cache-Control"] == YEAR
        assert version == static_assets.hash_of(_file(f"/static/respondent/fonts/{name}"))


def test_an_asset_asked_for_without_its_current_version_is_revalidated(client):
    for url in ("/static/respondent/kompass.css", "/static/respondent/kompass.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"


def test_a_changed_file_gets_another_version(tmp_path):
    asset = tmp_path / "a.css"
    asset.write_text("a { color: red }")
    first = static_assets.hash_of(asset)
    asset.write_text("a { color: blue }")
    os.utime(asset, ns=(1, 1))  # another modification time, however coarse the file system's
    assert static_assets.hash_of(asset) != first


def test_pages_stay_uncached(client):
    assert client.get("/en/login").headers["Cache-Control"] == "no-store"


def _file(url_path: str) -> Path:
    """The file behind a static URL path of the respondent or staff blueprint."""
    root = Path(__file__).parent.parent
    if url_path.startswith("/static/respondent/"):
        return root / "renderers/html/static" / url_path.removeprefix("/static/respondent/")
    return root / "adminui/static" / url_path.removeprefix("/admin/static/")
