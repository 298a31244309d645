"""Shipped fonts, the print slip's landmarks, and the staff language kept through logging in."""

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.helpers import add_person
from tests.staff_helpers import add_user, new_code_from, staff_login, token

pytestmark = pytest.mark.database_incidental

STATIC = Path(__file__).resolve().parent.parent / "renderers" / "html" / "static"
FONT_FACE = re.compile(r"@font-face\s*{(.*?)}", re.S)
GEEZ = "ሀሰላምትግርኛአማርኛ፣።"
ARABIC_LETTERS = "ابپچژکگیۆێڕڵټډړږښګڼېۍ"  # Arabic, Persian, Pashto and Sorani letters
CYRILLIC = "АЯабвгдеёжзийюяіїєґІЇЄҐ"  # Russian and Ukrainian
LATIN = (
    "åæøÅÆØçğıİöşüÇĞÖŞÜëËàâéèêîôûœÊÎÛ'ʼ"  # Norwegian, Turkish, Albanian, French, Kurmanji, Oromo
)


def font_faces(css: str) -> list[dict[str, str]]:
    faces = []
    for body in FONT_FACE.findall(css):
        pairs = (line.split(":", 1) for line in body.split(";") if ":" in line)
        faces.append({key.strip(): value.strip() for key, value in pairs})
    return faces


def covers(unicode_range: str, char: str) -> bool:
    for part in unicode_range.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        if int(low, 16) <= ord(char) <= int(high or low, 16):
            return True
    return False


def test_fonts_css_names_only_shipped_woff2_files_each_with_a_unicode_range(client):
    response = client.get("/static/respondent/fonts.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    faces = font_faces(response.text)
    assert {face["font-family"] for face in faces} == {
        '"Noto Sans"',
        '"Noto Sans Ethiopic"',
        '"Noto Naskh Arabic"',
        '"Noto Sans Symbols 2"',
    }
    for face in faces:
        url = re.fullmatch(r'url\("([^"]+)"\) format\("woff2"\)', face["src"]).group(1)
        font = client.get(f"/static/respondent/{url}")
        assert font.status_code == 200 and font.mimetype == "font/woff2"
        assert font.data[:4] == b"wOF2" and len(font.data) < 60_000
        assert face["unicode-range"].startswith("U+")
        assert face["font-display"] == "swap"
    for family, letters in (
        ('"Noto Sans Ethiopic"', GEEZ),
        ('"Noto Naskh Arabic"', ARABIC_LETTERS),
        ('"Noto Sans"', CYRILLIC + LATIN),
    ):
        for weight in ("400", "700"):
            ranges = [
                f["unicode-range"]
                for f in faces
                if f["font-family"] == family and f["font-weight"] == weight
            ]
            assert ranges, (family, weight)
            assert all(any(covers(r, c) for r in ranges) for c in letters), (family, weight)


def test_the_shipped_files_hold_every_letter_their_range_promises():
    for stem, letters in (
        ("NotoSansEthiopic", GEEZ),
        ("NotoNaskhArabic", ARABIC_LETTERS),
        ("NotoSans-Cyrillic", CYRILLIC),
        ("NotoSans-Latin", LATIN),
    ):
        for weight in ("Regular", "Bold"):
            cmap = TTFont(STATIC / "fonts" / f"{stem}-{weight}.subset.woff2").getBestCmap()
            assert [c for c in letters if ord(c) not in cmap] == [], (stem, weight)


def test_the_fonts_travel_with_their_licence(client):
    licence = client.get("/static/respondent/fonts/OFL.txt")
    assert licence.status_code == 200
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence.text and "Google" in licence.text
    assert sorted(p.suffix for p in (STATIC / "fonts").iterdir()) == [".txt"] + [".woff2"] * 9


def test_respondent_and_staff_pages_link_the_fonts(client):
    for page in ("/", "/admin/login"):
        assert re.search(
            r'href="/static/respondent/fonts\.css\?v=[0-9a-f]{12}"', client.get(page).text
        )


def test_the_print_slip_has_a_main_landmark_and_a_heading(app, client):
    add_user(app, "veileder", ["bosetting"], "4601")
    staff_login(client, "veileder")
    person = add_person(app)
    made = client.post(f"/admin/personer/{person}/koder", data={"csrf_token": token(client)})
    slip = client.post(
        f"/admin/personer/{person}/skriv-ut",
        data={"csrf_token": token(client), "code": new_code_from(made.text), "slip_lang": "ar"},
    ).text
    assert re.search(r'<main>\s*<p class="no-print">.*?</p>\s*<h1[^>]*>Kompass</h1>', slip)
    assert slip.count("<main>") == 1 and slip.index("</main>") > slip.index("slip-part")


def test_a_language_chosen_before_logging_in_stays_after(app, client):
    add_user(app, "veileder", ["bosetting"], "4601")
    client.post("/admin/language", data={"csrf_token": token(client), "locale": "en"})
    assert '<html lang="en"' in client.get("/admin/login").text
    home = client.get(staff_login(client, "veileder").location).text
    assert '<html lang="en"' in home and "Log out" in home


def test_norwegian_is_the_default_after_logging_in(app, client):
    add_user(app, "veileder", ["bosetting"], "4601")
    home = client.get(staff_login(client, "veileder").location).text
    assert '<html lang="nb"' in home and "Logg ut" in home
