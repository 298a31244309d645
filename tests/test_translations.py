"""Translation states, the translator's round trip (XLSX and PO), review, and the packaged wheel."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from babel.messages.pofile import read_po, write_po
from flask import g
from flask_babel import force_locale, gettext

from engine.app import config
from engine.definition.errors import QuestionnaireError
from engine.definition.questionnaire_check import check_tree
from engine.translation import catalogues as translation_catalogues
from engine.translation import strings as translation_strings
from engine.translation.state import is_sidecar
from engine.versions import frozen
from tests.helpers import log_in, make_code
from tests.translation_helpers import copy_tree, kompass, published_app

pytestmark = pytest.mark.database_incidental

TITLE = "questionnaire:sections.personal.title"
SCALE = "codelist:language_scale.none"
NEXT = "interface:Next"
REVIEW_FR = (
    "translations",
    "review",
    "--questionnaire",
    "kompass",
    "--version",
    "1",
    "--lang",
    "fr",
)


def export_xlsx(root: Path, tmp_path: Path, lang: str = "fr") -> Path:
    out = tmp_path / f"{lang}.xlsx"
    args = ["--questionnaire", "kompass", "--version", "1", "--lang", lang]
    result = kompass(root, "translations", "export", *args, "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def exported_fr(tmp_path_factory) -> Path:
    """The French workbook of the shipped files, exported once for the module (tests copy it):
    every test that starts from the unchanged files would export the same bytes."""
    folder = tmp_path_factory.mktemp("exported")
    return export_xlsx(copy_tree(folder), folder)


@pytest.fixture
def workbook(exported_fr, tmp_path) -> Path:
    """This test's own copy of the French workbook, to read or edit."""
    return Path(shutil.copy(exported_fr, tmp_path / exported_fr.name))


def edit_xlsx(path: Path, changes: dict[str, tuple[str, str]]) -> None:
    """Set (translation, state) of the rows with these keys, as a translator would."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["translations"]
    left = dict(changes)
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in left:
            row[3].value, row[4].value = left.pop(row[0].value)
    for key, (text, state) in left.items():
        sheet.append([key, "", "", text, state])
    workbook.save(path)


def check_lines(root: Path) -> list[str]:
    lines: list[str] = []
    assert check_tree(root, lines.append) is True, "\n".join(lines)
    return lines


def counts(lines: list[str], lang: str, part: str) -> dict[str, int]:
    """The figures `check` printed for `lang` and `part`."""
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [lang])
    for line in lines[start : start + 3]:
        words = line.split()
        if part in " ".join(words):
            numbers = [int(w) for w in words if w.isdigit()]
            return dict(zip(("missing", "machine", "outdated", "reviewed"), numbers, strict=True))
    raise AssertionError(f"no {part} line for {lang}")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_export_lists_every_string_with_source_state_and_place(workbook):
    rows = list(openpyxl.load_workbook(workbook)["translations"].values)
    assert rows[0][:5] == ("key", "where", "source", "translation", "state")
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key[TITLE][1:] == (
        "section 'personal': title",
        "Personal data",
        by_key[TITLE][3],
        "machine",
    )
    assert by_key[SCALE][1].startswith("code list 'language_scale'")
    assert by_key[NEXT][2:] == ("Next", "Suivant", "machine")
    parts = {key.split(":", 1)[0] for key in by_key}
    assert parts == {"questionnaire", "codelist", "interface"}
    pot = translation_catalogues.template_ids(config.PROJECT_ROOT / "questionnaires/interface")
    assert sum(key.startswith("interface:") for key in by_key) == len(pot)


def test_round_trip_xlsx_three_strings_reach_the_page(tmp_path, database_url, workbook):
    root = copy_tree(tmp_path)
    edit_xlsx(
        workbook,
        {
            TITLE: ("Données personnelles (révisé)", "reviewed"),
            SCALE: ("Pas du tout (révisé)", "reviewed"),
            NEXT: ("Continuer", "reviewed"),
        },
    )
    before = snapshot(root)
    reviewed_before = {
        part: counts(check_lines(root), "fr", part)["reviewed"]
        for part in ("questionnaire", "code lists", "interface")
    }
    dry_run = kompass(root, "translations", "import", str(workbook))
    assert dry_run.exit_code == 0, dry_run.output
    assert f"{TITLE}: " in dry_run.output and "-> 'Données personnelles (révisé)'" in dry_run.output
    assert "(machine -> reviewed)" in dry_run.output
    assert "3 string(s) would change" in dry_run.output
    assert snapshot(root) == before

    written = kompass(root, "translations", "import", str(workbook), "--write")
    assert written.exit_code == 0 and "3 string(s) written" in written.output
    fr_yaml = (root / "kompass/1/translations/fr.yaml").read_text("utf-8")
    assert "# Machine translation" in fr_yaml.splitlines()[0]  # comments and layout are kept
    assert 'title: "Données personnelles (révisé)"' in fr_yaml
    lines = check_lines(root)
    for part, reviewed in reviewed_before.items():
        assert counts(lines, "fr", part)["reviewed"] == reviewed + 1, part

    app = published_app(database_url, root)
    client = app.test_client()
    log_in(client, make_code(app.test_cli_runner()), lang="fr")
    personal = client.get("/fr/form/personal").text
    assert "Données personnelles (révisé)" in personal and "Continuer" in personal
    assert "Pas du tout (révisé)" in client.get("/fr/form/language").text
    app.extensions["kompass"].sessions.kw["bind"].dispose()


def test_round_trip_po(tmp_path):
    root = copy_tree(tmp_path)
    out = tmp_path / "fr.po"
    target = ["--questionnaire", "kompass", "--version", "1", "--lang", "fr"]
    assert (
        kompass(
            root, "translations", "export", *target, "--format", "po", "--out", str(out)
        ).exit_code
        == 0
    )
    with out.open("rb") as stream:
        catalog = read_po(stream)
    message = next(m for m in catalog if m.context == NEXT)
    assert message.flags == {"machine"} and message.auto_comments[0].startswith("interface")
    message.string = "Page suivante"
    message.flags.discard("machine")  # the translator checked it
    with out.open("wb") as stream:
        write_po(stream, catalog)
    result = kompass(root, "translations", "import", str(out), "--write")
    assert result.exit_code == 0, result.output
    assert "interface:Next: 'Suivant' -> 'Page suivante' (machine -> reviewed)" in result.output
    fr = translation_catalogues.compile_po(root / "interface/fr.po")
    assert fr.gettext("Next") == "Page suivante"


def change_source(root: Path, old: str, new: str) -> None:
    english = root / "kompass/1/translations/en.yaml"
    english.write_text(english.read_text("utf-8").replace(old, new, 1), "utf-8")


def test_a_source_change_makes_a_translation_outdated_until_reviewed(tmp_path, database_url):
    root = copy_tree(tmp_path)
    reviewed_before = counts(check_lines(root), "fr", "questionnaire")["reviewed"]
    assert kompass(root, *REVIEW_FR, "--key", TITLE).exit_code == 0
    assert counts(check_lines(root), "fr", "questionnaire")["reviewed"] == reviewed_before + 1

    change_source(root, '"Personal data"', '"About you"')
    questionnaire = translation_strings.load(root, "kompass", 1)
    title = questionnaire.section_title(questionnaire.section("personal"), "fr")
    assert (title.value, title.lang, title.state) == ("About you", "en", "outdated")
    figures = counts(check_lines(root), "fr", "questionnaire")
    assert (figures["outdated"], figures["reviewed"]) == (1, reviewed_before)

    app = published_app(database_url, root)
    client = app.test_client()
    log_in(client, make_code(app.test_cli_runner()), lang="fr")
    assert '<span class="t" lang="en"' in client.get("/fr/form/personal").text.replace(
        "'", '"'
    ) or ("About you" in client.get("/fr/form/personal").text)
    app.extensions["kompass"].sessions.kw["bind"].dispose()

    assert kompass(root, *REVIEW_FR, "--key", TITLE).exit_code == 0
    questionnaire = translation_strings.load(root, "kompass", 1)
    title = questionnaire.section_title(questionnaire.section("personal"), "fr")
    assert (title.lang, title.state) == ("fr", "reviewed")
    figures = counts(check_lines(root), "fr", "questionnaire")
    assert (figures["outdated"], figures["reviewed"]) == (0, reviewed_before + 1)


def test_an_interface_source_change_makes_its_translation_outdated(tmp_path):
    folder = copy_tree(tmp_path) / "interface"
    old, new = "Write at least %(limit)s characters.", "Write at least %(limit)s letters."
    pot = folder / "messages.pot"
    pot.write_text(pot.read_text("utf-8").replace(old, new), "utf-8")
    translation_catalogues.update_from_template(folder)
    catalog = translation_catalogues.read_catalog(folder / "fr.po")
    assert translation_catalogues.message_state(catalog, new) == "outdated"
    assert f'#| msgid "{old}"\nmsgid "{new}"' in (folder / "fr.po").read_text("utf-8")
    assert translation_catalogues.compile_po(folder / "fr.po").gettext(new) == new  # in English
    assert translation_catalogues.interface_counts(folder, "fr")["outdated"] == 1


def test_review_all_marks_every_translated_string(tmp_path):
    root = copy_tree(tmp_path)
    args = ["--questionnaire", "kompass", "--version", "1", "--lang", "ar", "--all"]
    result = kompass(root, "translations", "review", *args)
    assert result.exit_code == 0, result.output
    lines = check_lines(root)
    for part in ("questionnaire", "code lists", "interface"):
        figures = counts(lines, "ar", part)
        assert figures["machine"] == 0 and figures["reviewed"] > 0, part
    unknown = kompass(root, "translations", "review", *args[:-1], "--key", "questionnaire:nope")
    assert unknown.exit_code != 0 and "review-unknown-key" in unknown.output


HOSTILE = {
    "unknown key": (
        {"questionnaire:questions.nope.label": ("x", "reviewed")},
        "import-unknown-key",
    ),
    "placeholder removed": (
        {"interface:Choose at least %(limit)s.": ("Choisissez-en au moins.", "reviewed")},
        "import-placeholders",
    ),
    "script": ({TITLE: ("<script>alert(1)</script>Titre", "reviewed")}, "import-markup"),
    "javascript link": (
        {TITLE: ('<a href="javascript:alert(1)">x</a>', "reviewed")},
        "import-markup",
    ),
    "image": ({TITLE: ("<img src=x onerror=alert(1)>", "reviewed")}, "import-markup"),
    "bad state": ({TITLE: ("Titre", "approved")}, "import-bad-state"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_imports_are_refused_and_nothing_is_written(tmp_path, workbook, case):
    root = copy_tree(tmp_path)
    changes, code = HOSTILE[case]
    edit_xlsx(workbook, {NEXT: ("Continuer", "reviewed"), **changes})
    before = snapshot(root)
    result = kompass(root, "translations", "import", str(workbook), "--write")
    assert result.exit_code == 1
    assert f"[{code}]" in result.output and "how to fix:" in result.output
    assert f"{workbook}:" in result.output  # the file and its row
    assert "nothing was written" in result.output
    assert snapshot(root) == before


def test_allowed_formatting_passes_the_markup_check():
    from engine.questionnaire.richtext import problems as markup_problems

    assert markup_problems('<b>Gras</b>, <em>x</em><br> <a href="https://nav.no">NAV</a>') == []
    assert markup_problems("a < b and c > d") == []
    assert markup_problems("<scr<script>ipt>") != []
    assert markup_problems('<b onclick="x()">x</b>') != []


def test_a_file_for_another_language_or_a_broken_file_is_refused(tmp_path):
    root = copy_tree(tmp_path)
    workbook = export_xlsx(root, tmp_path, "ar")
    before = snapshot(root)
    wrong = kompass(root, "translations", "import", str(workbook), "--lang", "fr", "--write")
    assert wrong.exit_code == 1 and "[import-wrong-target]" in wrong.output
    assert "language ar, not kompass version 1, language fr" in wrong.output

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(workbook.read_bytes()[:500])
    result = kompass(root, "translations", "import", str(broken), "--write")
    assert result.exit_code == 1 and "[import-unreadable]" in result.output

    no_header = tmp_path / "no-header.xlsx"
    book = openpyxl.load_workbook(workbook)
    book["translations"].delete_rows(1)
    book.save(no_header)
    result = kompass(root, "translations", "import", str(no_header), "--write")
    assert result.exit_code == 1 and "[import-bad-header]" in result.output
    assert snapshot(root) == before


def test_a_broken_interface_file_is_an_error_of_check_and_serves_english(tmp_path):
    root = copy_tree(tmp_path)
    (root / "interface/fr.po").write_text('Next = Suivant\nmsgid "Next"\nmsgstr "S"\n', "utf-8")
    lines: list[str] = []
    assert check_tree(root, lines.append) is False
    assert any("[interface-file-unreadable]" in line for line in lines)
    catalogues = translation_catalogues.PoCatalogues(root / "interface", lambda tag: f"{tag}.po")
    assert catalogues.get("fr").gettext("Next") == "Next"
    assert catalogues.get("../fr").gettext("Next") == "Next"


def test_a_broken_interface_template_is_an_error_of_check_not_a_traceback(tmp_path):
    root = copy_tree(tmp_path)
    template = root / "interface/messages.pot"
    template.write_text(template.read_text("utf-8") + '\nmsgid "x\nbroken\n', "utf-8")
    lines: list[str] = []
    assert check_tree(root, lines.append) is False
    assert any("messages.pot" in line and "[interface-file-unreadable]" in line for line in lines)


def test_the_wheel_carries_every_catalogue_and_translation(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(config.PROJECT_ROOT),
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("kompass-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    tags = [
        p.stem
        for p in (config.PROJECT_ROOT / "questionnaires/kompass/1/translations").glob("*.yaml")
        if not is_sidecar(p)
    ]
    assert {"uk", "am", "ar", "ti"} <= set(tags)
    for tag in tags:
        assert f"questionnaires/interface/{tag}.po" in names, tag
        assert f"questionnaires/kompass/1/translations/{tag}.yaml" in names, tag
        assert f"questionnaires/codelists/translations/{tag}.yaml" in names, tag
    assert "questionnaires/interface/messages.pot" in names
    assert {
        "adminui/translations/nb/LC_MESSAGES/messages.po",
        "engine/translations/nb/LC_MESSAGES/messages.po",
        "engine/translation/catalogues.py",
    } <= names
    with zipfile.ZipFile(wheel).open("questionnaires/interface/ar.po") as stream:
        assert read_po(stream).get("Next").string


def test_states_are_frozen_into_the_published_bundle(tmp_path):
    root = copy_tree(tmp_path)
    assert kompass(root, *REVIEW_FR, "--key", SCALE, "--key", TITLE).exit_code == 0
    change_source(root, '"Personal data"', '"About you"')
    questionnaire = translation_strings.load(root, "kompass", 1)
    bundle = json.loads(json.dumps(frozen.freeze(questionnaire)))
    marks = bundle["content"]["codelist_texts"]["languages"]["fr"]["marks"]
    assert [key for key, mark in marks.items() if mark["reviewed"]] == ["language_scale.none"]
    thawed = frozen.thaw(bundle, questionnaire.types)
    assert thawed.translations.state("fr", ("sections", "personal", "title")) == "outdated"
    assert thawed.translations.state("fr", ("sections", "education", "title")) == "machine"
    assert thawed.codelist_translations.state("fr", ("language_scale", "none")) == "reviewed"


def test_a_forced_locale_reads_the_catalogue_of_its_language(app):
    """Slips and CVs print a second language with force_locale(<CLDR locale>): `ku` is kmr.po."""
    root = config.PROJECT_ROOT / "questionnaires/interface"
    kurmanji = translation_catalogues.compile_po(root / "kmr.po").gettext("Next")
    norwegian = translation_catalogues.compile_po(root / "nb.po").gettext("Next")
    assert len({kurmanji, norwegian, "Next"}) == 3
    with app.test_request_context("/ar/login"):
        app.preprocess_request()
        assert (gettext("Next"), g.lang) == (
            translation_catalogues.compile_po(root / "ar.po").gettext("Next"),
            "ar",
        )
        for locale, expected in (("ku", kurmanji), ("nb", norwegian), ("de", "Next")):
            with force_locale(locale):
                assert gettext("Next") == expected, locale


def test_record_sources_lets_old_machine_translations_become_outdated(tmp_path):
    root = copy_tree(tmp_path)
    for sidecar in root.rglob("fr.state.yaml"):
        sidecar.unlink()
    args = ["--questionnaire", "kompass", "--version", "1", "--lang", "fr"]
    change_source_later = counts(check_lines(root), "fr", "questionnaire")
    first = kompass(root, "translations", "record-sources", *args)
    assert first.exit_code == 0 and not first.output.startswith("0 "), first.output
    assert kompass(root, "translations", "record-sources", *args).output.startswith("0 ")
    assert counts(check_lines(root), "fr", "questionnaire") == change_source_later

    change_source(root, '"Personal data"', '"About you"')
    figures = counts(check_lines(root), "fr", "questionnaire")
    assert figures["outdated"] == 1
    assert figures["machine"] == change_source_later["machine"] - 1


def test_a_hostile_or_broken_state_file_is_an_editor_error_not_expanded(tmp_path):
    root = copy_tree(tmp_path)
    sidecar = root / "kompass/1/translations/fr.state.yaml"
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    bomb += [
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    hostile = "\n".join([*bomb, "strings:", "  title: {source: *i, reviewed: true}"])
    for text, code in ((hostile, "yaml-alias"), ("strings: [unclosed\n", "yaml-syntax")):
        sidecar.write_text(text)
        with pytest.raises(QuestionnaireError) as caught:
            translation_strings.load(root, "kompass", 1)
        assert [(e.file, e.code) for e in caught.value.errors] == [(sidecar, code)]


def test_an_edited_interface_file_is_served_after_the_recheck_interval(tmp_path):
    root = copy_tree(tmp_path)
    now = [100.0]
    catalogues = translation_catalogues.PoCatalogues(
        root / "interface", lambda tag: f"{tag}.po", clock=lambda: now[0]
    )
    before = catalogues.get("fr").gettext("Next")
    path = root / "interface/fr.po"
    path.write_text(path.read_text("utf-8").replace(f'msgstr "{before}"', 'msgstr "Plus loin"'))
    os.utime(path, ns=(1, 1))
    assert catalogues.get("fr").gettext("Next") == before
    now[0] += catalogues.RECHECK_SECONDS
    assert catalogues.get("fr").gettext("Next") == "Plus loin"
