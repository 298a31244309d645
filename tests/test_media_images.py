"""Pictures beside texts: the SVG sanitiser, `check`'s errors, freezing and serving."""

import copy
import re
import shutil
from pathlib import Path

import pytest

from engine.app import plugins
from engine.definition import media_images, svg_safe
from engine.definition.error_catalogue import CATALOGUE
from engine.definition.errors import QuestionnaireError
from engine.definition.loader import load_all
from engine.versions import frozen
from tests import sample_tree
from tests.conftest import publish
from tests.helpers import post_section

pytestmark = pytest.mark.database_incidental

TYPES = plugins.question_types(plugins.make_plugin_manager())
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
GOOD = f'{SVG_OPEN}<defs><circle id="c" r="4"/></defs><use xlink:href="#c"/></svg>'
HOSTILE = {
    "script": (f"{SVG_OPEN}<script>alert(1)</script></svg>", "<script>"),
    "onload": (f'{SVG_OPEN}<rect onload="alert(1)"/></svg>', "onload"),
    "external href": (f'{SVG_OPEN}<use xlink:href="https://evil.example/a.svg#x"/></svg>', "href"),
    "plain href": (f'{SVG_OPEN}<use href="data:image/svg+xml,x"/></svg>', "href"),
    "external url()": (f'{SVG_OPEN}<rect fill="url(https://evil.example/#g)"/></svg>', "fill"),
    "style": (f'{SVG_OPEN}<rect style="fill:url(http://x/)"/></svg>', "style"),
    "style element": (f"{SVG_OPEN}<style>@import url(http://x/)</style></svg>", "<style>"),
    "foreignObject": (f"{SVG_OPEN}<foreignObject><p>hi</p></foreignObject></svg>", "foreignObject"),
    "html element": (f'{SVG_OPEN}<a xmlns="http://www.w3.org/1999/xhtml"/></svg>', "not SVG"),
    "link": (f'{SVG_OPEN}<a xlink:href="javascript:alert(1)"><rect/></a></svg>', "<a>"),
    "not svg": ('<html xmlns="http://www.w3.org/2000/svg"/>', "root element"),
    "XXE": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><title>&x;</title></svg>',
        "document type or entity",
    ),
    "billion laughs": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><title>&c;</title></svg>',
        "document type or entity",
    ),
    "broken": (f"{SVG_OPEN}<rect>", "not well-formed"),
    "deep": (SVG_OPEN + "<g>" * 3000 + "</g>" * 3000 + "</svg>", "nested more than 32"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_sanitiser_refuses_hostile_svg_and_names_what(name):
    data, named = HOSTILE[name]
    with pytest.raises(svg_safe.UnsafeSvg) as caught:
        svg_safe.clean(data.encode())
    assert any(named in problem for problem in caught.value.problems), caught.value.problems


def test_a_safe_svg_keeps_its_shapes_and_loses_comments_and_instructions():
    data = f'<?xml-stylesheet href="http://x/a.css"?><!-- by hand -->{GOOD}'.encode()
    text = svg_safe.clean(data).text
    assert "<circle" in text and 'xlink:href="#c"' in text and 'id="c"' in text
    assert "stylesheet" not in text and "by hand" not in text


def with_images(images: dict, files: dict, alt: dict | None = None) -> dict:
    """The sample tree's files with `images:` in questionnaire.yaml, image files and alt texts."""
    data = copy.deepcopy(sample_tree.QUESTIONNAIRE)
    data["images"] = images
    english = copy.deepcopy(sample_tree.ENGLISH)
    english["images"] = alt if alt is not None else {
        Path(name).stem: {"alt": f"Picture {name}"} for name in set(images.values())
    }  # fmt: skip
    extra = {f"sample/1/images/{name}": text for name, text in files.items()}
    return {"questionnaire": data, "english": english, "extra_files": extra}


def load_errors(tmp_path, **files) -> list:
    sample_tree.write(tmp_path, **files)
    with pytest.raises(QuestionnaireError) as caught:
        load_all(tmp_path, TYPES)
    assert {e.code for e in caught.value.errors} <= set(CATALOGUE)
    return caught.value.errors


def test_a_version_with_safe_images_and_a_licence_loads(tmp_path):
    files = with_images(
        {"sections.about": "about.svg", "options.level.1": "one.svg",
         "options.yes_no.yes": "one.svg"},
        {"about.svg": GOOD, "one.svg": GOOD, "LICENSE.md": "CC0"},
    )  # fmt: skip
    questionnaire = load_all(sample_tree.write(tmp_path, **files), TYPES)[("sample", 1)]
    assert sorted(questionnaire.images) == ["about.svg", "one.svg"]
    level = questionnaire.questions["level"]
    image = media_images.image_for(
        questionnaire, media_images.option_target(questionnaire, level, "1")
    )
    assert image.name == "one.svg"
    assert questionnaire.translations.text("en", *image.alt_key).value == "Picture one.svg"


def test_check_names_a_missing_file_an_unknown_target_and_a_missing_licence(tmp_path):
    files = with_images({"sections.abuot": "gone.svg"}, {})
    errors = {e.code: e for e in load_errors(tmp_path, **files)}
    assert errors["image-unknown-target"].suggestion == "sections.about"
    assert errors["image-missing"].file.name == "gone.svg"
    assert errors["image-licence-missing"].file.name == "images"


def test_check_names_the_unsafe_element_and_attribute_of_each_file(tmp_path):
    bad = f'{SVG_OPEN}<script/><rect onclick="x()"/></svg>'
    files = with_images({"sections.about": "bad.svg"}, {"bad.svg": bad, "LICENSE": "CC0"})
    errors = load_errors(tmp_path, **files)
    messages = [e.message for e in errors if e.code == "image-unsafe"]
    assert len(messages) == 2
    assert any("<script>" in m for m in messages) and any("onclick" in m for m in messages)
    assert all(e.file.name == "bad.svg" for e in errors)


def test_check_refuses_an_image_that_is_too_large(tmp_path):
    big = SVG_OPEN + '<rect width="1"/>' * (media_images.MAX_BYTES // 10) + "</svg>"
    files = with_images({"sections.about": "big.svg"}, {"big.svg": big, "LICENSE": "CC0"})
    assert [e.code for e in load_errors(tmp_path, **files)] == ["image-too-large"]


def test_check_asks_for_the_alternative_text_in_the_source_language(tmp_path):
    files = with_images({"sections.about": "a.svg"}, {"a.svg": GOOD, "LICENSE": "x"}, alt={})
    errors = load_errors(tmp_path, **files)
    assert [(e.code, e.path) for e in errors] == [("missing-source-text", "images.a.alt")]


def test_check_refuses_a_file_name_that_is_not_a_plain_svg_name(tmp_path):
    files = with_images({"sections.about": "../../secret.svg"}, {})
    errors = load_errors(tmp_path, **files)
    assert "schema-string_pattern_mismatch" in {e.code for e in errors}


def test_images_are_frozen_with_their_hash_and_change_the_fingerprint(tmp_path):
    files = with_images({"sections.about": "a.svg"}, {"a.svg": GOOD, "LICENSE": "CC0"})
    root = sample_tree.write(tmp_path, **files)
    bundle = frozen.freeze(load_all(root, TYPES)[("sample", 1)])
    assert "<circle" in bundle["content"]["images"]["a.svg"]
    version = root / "sample" / "1"
    hashes = frozen.file_hashes(version)
    assert {"images/a.svg", "images/LICENSE"} <= set(hashes)
    (version / "images" / "a.svg").write_text(GOOD.replace('r="4"', 'r="5"'), "utf-8")
    assert frozen.changed_files(version, hashes) == ["images/a.svg"]
    redrawn = frozen.freeze(load_all(root, TYPES)[("sample", 1)])
    assert frozen.fingerprint(redrawn) != frozen.fingerprint(bundle)
    thawed = frozen.thaw(bundle, TYPES)
    clean = svg_safe.clean(GOOD.encode()).text
    assert thawed.images["a.svg"].digest == media_images.image("a.svg", clean).digest


def test_a_version_without_images_keeps_the_bundle_it_had(tmp_path):
    questionnaire = load_all(sample_tree.write(tmp_path), TYPES)[("sample", 1)]
    content = frozen.freeze(questionnaire)["content"]
    assert "images" not in content and "images" not in content["source"]


def image_urls(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<img src="([^"]+)" alt="([^"]*)"', html)


def test_a_section_page_shows_each_picture_in_both_languages(logged_in):
    html = logged_in.get("/ar/form/licence?beside=nb").get_data(as_text=True)
    pictures = dict((alt, src) for src, alt in image_urls(html))
    assert "رخصة القيادة" in pictures and "Førerkort" in pictures
    post_section(logged_in, "ar", "licence", {"q.has_licence": "yes"})
    html = logged_in.get("/ar/form/licence?beside=nb").get_data(as_text=True)
    alts = [alt for _, alt in image_urls(html)]
    assert "جرار زراعي" in alts and "Traktor" in alts


def test_an_image_is_served_from_the_published_bundle_with_long_cache(logged_in):
    html = logged_in.get("/en/form/digital").get_data(as_text=True)
    src = image_urls(html)[0][0]
    assert re.fullmatch(r"/images/kompass/1/[0-9a-f]{64}\.svg", src)
    response = logged_in.get(src)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.get_data(as_text=True).startswith("<svg")


def test_unknown_hashes_versions_and_drafts_are_never_served(app, client):
    known = media_images.image("x.svg", "<svg/>").digest
    assert client.get(f"/images/kompass/1/{known}.svg").status_code == 404
    assert client.get(f"/images/kompass/1/{'0' * 64}.svg").status_code == 404
    assert client.get(f"/images/kompass/7/{'0' * 64}.svg").status_code == 404
    assert client.get("/images/nosuch/1/abc.svg").status_code == 404


def test_a_draft_version_image_is_not_served_until_it_is_published(make_draft_app):
    app, digest = make_draft_app
    client = app.test_client()
    assert client.get(f"/images/kompass/2/{digest}.svg").status_code == 404
    publish(app, "kompass", 2)
    assert client.get(f"/images/kompass/2/{digest}.svg").status_code == 200


@pytest.fixture
def make_draft_app(database_url, tree, monkeypatch):
    """An app with version 1 published and a draft version 2 whose education picture differs."""
    from engine.app.factory import create_app
    from tests.conftest import TEST_SETTINGS

    draft = tree / "kompass" / "2"
    shutil.copytree(tree / "kompass" / "1", draft)
    text = (draft / "questionnaire.yaml").read_text("utf-8").replace("version: 1", "version: 2")
    (draft / "questionnaire.yaml").write_text(text, "utf-8")
    picture = draft / "images" / "education.svg"
    picture.write_text(picture.read_text("utf-8").replace('r="10"', 'r="11"') + " ", "utf-8")
    picture.write_text(picture.read_text("utf-8").replace("<path", '<circle r="2"/><path', 1))
    monkeypatch.setenv("KOMPASS_QUESTIONNAIRES_DIR", str(tree))
    app = create_app(
        {**TEST_SETTINGS, "DATABASE_URL": database_url, "KOMPASS_QUESTIONNAIRES_DIR": str(tree)}
    )
    publish(app, "kompass", 1)
    digest = media_images.image("education.svg", svg_safe.clean(picture.read_bytes()).text).digest
    yield app, digest
    app.extensions["kompass"].sessions.kw["bind"].dispose()


def test_the_editor_preview_shows_a_draft_picture_inline_with_its_alt_texts(make_draft_app):
    from tests.staff_helpers import add_user, staff_login

    app, _digest = make_draft_app
    add_user(app, "editor", ["innholdsredaktor"], None)
    editor = app.test_client()
    staff_login(editor, "editor")
    html = editor.get(
        "/admin/innhold/kompass/2/forhandsvisning?section=digital&lang=nb&beside=ar"
    ).text
    row = re.search(r"<code>images\.smartphone\.alt</code>(.*?)</tr>", html, re.S).group(1)
    assert re.search(r'<img src="data:image/svg\+xml;base64,[\w+/=]+" alt=""', row)
    assert "Smarttelefon" in row and "هاتف ذكي" in row
    assert "/images/kompass/2/" not in html


def test_translators_are_told_which_picture_an_alternative_text_belongs_to(tmp_path):
    from engine.translation.strings import QUESTIONNAIRE, where

    files = with_images({"sections.about": "a.svg"}, {"a.svg": GOOD, "LICENSE": "CC0"})
    questionnaire = load_all(sample_tree.write(tmp_path, **files), TYPES)[("sample", 1)]
    note = where(questionnaire, QUESTIONNAIRE, ("images", "a", "alt"))
    assert "images/a.svg" in note


def test_the_diff_lists_pictures_moved_and_redrawn(tmp_path):
    from engine.versions import diff

    files = with_images(
        {"sections.about": "a.svg", "options.level.1": "b.svg"},
        {"a.svg": GOOD, "b.svg": GOOD, "LICENSE": "CC0"},
    )
    root = sample_tree.write(tmp_path, **files)
    old = frozen.freeze(load_all(root, TYPES)[("sample", 1)])
    version = root / "sample" / "1"
    (version / "images" / "a.svg").write_text(GOOD.replace('r="4"', 'r="5"'), "utf-8")
    text = (version / "questionnaire.yaml").read_text("utf-8")
    (version / "questionnaire.yaml").write_text(text.replace("options.level.1", "options.level.2"))
    new = frozen.freeze(load_all(root, TYPES)[("sample", 1)])
    lines = diff.as_text(diff.diff(old, new)).splitlines()
    assert "~ drawing of image file a.svg: " in "\n".join(lines)
    assert '- image beside options.level.1: "b.svg"' in lines
    assert '+ image beside options.level.2: "b.svg"' in lines
