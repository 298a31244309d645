"""No bad text reaches a respondent: a translation that would not format like its source is
refused by the import and by `check`, and one edited on disk shows the source text instead."""

import logging
import shutil

import pytest
from babel.messages.pofile import read_po, write_po

from adminui import i18n as staff_i18n
from engine.app import config
from engine.definition import format_check
from engine.definition.questionnaire_check import check_tree
from tests.test_translations import NEXT, TITLE, edit_xlsx, export_xlsx, snapshot
from tests.translation_helpers import copy_tree, kompass, published_app

pytestmark = pytest.mark.database_incidental

LOG_IN = "interface:Log in"
LIMIT = "interface:Choose at least %(limit)s."


def set_msgstr(path, msgid: str, text: str) -> None:
    """Edit one msgstr on disk, as a translator with a text editor would."""
    with path.open("rb") as stream:
        catalog = read_po(stream)
    catalog[msgid].string = text
    with path.open("wb") as stream:
        write_po(stream, catalog, width=76)


@pytest.mark.parametrize(
    ("translation", "expected"),
    [("Dooro %(limit)s", None), ("Dooro %(limit)s, 100 %", "a % that is not"),
     ("Dooro 100 %% %(limit)s", None), ("Dooro", "the placeholders differ"),
     ("Dooro %(limit)s %(more)s", "the placeholders differ"), ("Dooro %s", "the placeholders")],
)  # fmt: skip
def test_the_format_check_names_the_problem(translation, expected):
    found = format_check.problem("Choose %(limit)s", translation)
    assert found == expected if expected is None else found.startswith(expected)


def test_braces_and_questionnaire_texts():
    assert format_check.problem("Hello {name}", "Hei {name") is not None
    assert format_check.problem("Hello {name}", "Hei {navn}") is not None
    assert format_check.problem("50 %", "50 % done", formatted=False) is None
    assert format_check.problem("x %(n)s", "y", formatted=False) is not None


@pytest.mark.parametrize(
    "changes",
    [
        {LOG_IN: ("Soo gal 100 %", "reviewed")},
        {LIMIT: ("Dooro ugu yaraan %(limit)s, 100 %", "reviewed")},
        {LIMIT: ("Dooro ugu yaraan %(limit)d %(extra)s", "reviewed")},
    ],
)
def test_the_import_refuses_a_string_that_would_not_format(tmp_path, changes):
    root = copy_tree(tmp_path)
    workbook = export_xlsx(root, tmp_path, "so")
    edit_xlsx(workbook, {NEXT: ("Xiga", "reviewed"), **changes})
    before = snapshot(root)
    result = kompass(root, "translations", "import", str(workbook), "--write")
    assert result.exit_code == 1, result.output
    assert "[import-format]" in result.output or "[import-placeholders]" in result.output
    assert "nothing was written" in result.output and snapshot(root) == before


def test_the_import_refuses_the_stray_percent_with_its_own_code(tmp_path):
    root = copy_tree(tmp_path)
    workbook = export_xlsx(root, tmp_path, "so")
    edit_xlsx(workbook, {LOG_IN: ("Soo gal 100 %", "reviewed")})
    result = kompass(root, "translations", "import", str(workbook), "--write")
    assert result.exit_code == 1 and "[import-format]" in result.output
    assert "write %% for a percent sign" in result.output


def test_a_percent_in_a_questionnaire_text_is_just_a_character(tmp_path):
    root = copy_tree(tmp_path)
    workbook = export_xlsx(root, tmp_path, "so")
    edit_xlsx(workbook, {TITLE: ("Macluumaad 100 %", "reviewed")})
    result = kompass(root, "translations", "import", str(workbook), "--write")
    assert result.exit_code == 0, result.output


def test_check_refuses_an_interface_catalogue_string_that_would_not_format(tmp_path):
    root = copy_tree(tmp_path)
    set_msgstr(root / "interface/so.po", "Log in", "Soo gal 100 %")
    lines: list[str] = []
    assert check_tree(root, lines.append) is False
    assert any("[interface-string-format]" in line and "so.po:" in line for line in lines)


def test_check_refuses_a_translation_file_whose_placeholders_differ(tmp_path):
    root = copy_tree(tmp_path)
    french = root / "kompass/1/translations/fr.yaml"
    text = french.read_text("utf-8")
    title = text.split("title: ", 1)[1].split("\n", 1)[0]
    french.write_text(text.replace(f"title: {title}", "title: Titre %(nom)s", 1), "utf-8")
    lines: list[str] = []
    assert check_tree(root, lines.append) is False
    assert any("[translation-format]" in line and "fr.yaml" in line for line in lines)


def test_a_broken_string_on_disk_shows_the_source_text_and_a_warning(
    tmp_path, database_url, caplog
):
    root = copy_tree(tmp_path)
    set_msgstr(root / "interface/so.po", "Log in", "Soo gal 100 %")
    client = published_app(database_url, root).test_client()
    with caplog.at_level(logging.WARNING, logger="engine.translation.catalogues"):
        page = client.get("/so/login")
    assert page.status_code == 200
    assert "Soo gal 100" not in page.text and ">Log in<" in page.text
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("so.po line" in w and "source text is shown" in w for w in warnings)
    assert not any("Soo gal" in w for w in warnings)


def test_a_broken_staff_string_on_disk_shows_the_source_text(tmp_path, app, monkeypatch):
    folder = tmp_path / "translations"
    shutil.copytree(config.PROJECT_ROOT / "adminui/translations", folder)
    set_msgstr(folder / "nb/LC_MESSAGES/messages.po", "Log in", "Logg inn 100 %")
    monkeypatch.setattr(staff_i18n.domain.catalogues, "folder", folder)
    page = app.test_client().get("/admin/login")
    assert page.status_code == 200 and "Logg inn 100" not in page.text
