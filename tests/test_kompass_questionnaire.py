"""The shipped questionnaire: all sections, every language, code lists, direction per language."""

from pathlib import Path

import pytest

from engine.app import plugins
from engine.app.config import PROJECT_ROOT
from engine.definition.loader import load_all
from engine.questionnaire import codebook, languages

ROOT = Path(PROJECT_ROOT / "questionnaires")
# Every language a translation file offers: adding one is adding files, never editing this.
LANGUAGES = {
    path.stem
    for path in (ROOT / "kompass" / "1" / "translations").glob("*.yaml")
    if not path.name.endswith(".state.yaml")
}
RIGHT_TO_LEFT = {"ar", "fa", "fa-AF", "ckb", "ps"}
BY_HAND = {"nb", "en"}


@pytest.fixture(scope="module")
def kompass():
    loaded = load_all(ROOT, plugins.question_types(plugins.make_plugin_manager()))
    return loaded[("kompass", 1)]


def test_all_eight_sections_and_the_staff_only_one(kompass):
    ids = [s.id for s in kompass.sections(include_staff=True)]
    assert ids == [
        "personal",
        "education",
        "language",
        "digital",
        "licence",
        "work",
        "wishes",
        "assessment",
    ]
    assert [s.id for s in kompass.sections()] == ids[:-1]


def test_first_question_wording(kompass):
    first = kompass.sections()[0].questions[0]
    assert kompass.label(first, "en").value == "Which country are you a citizen of now?"
    assert "more than one citizenship" in kompass.hint(first, "en").value


def test_every_language_with_direction_from_cldr(kompass):
    offered = {language.tag: language for language in languages.offered(kompass)}
    assert set(offered) == LANGUAGES and {"uk", "am", "ti", "kmr"} <= LANGUAGES
    assert {tag for tag, language in offered.items() if language.dir == "rtl"} == RIGHT_TO_LEFT
    assert offered["ti"].name == "ትግርኛ"
    assert offered["ar"].name == "العربية"


def test_machine_translations_are_marked_and_complete(kompass):
    total = len(kompass.translations.source_keys())
    for lang in sorted(LANGUAGES - {"en"}):
        counts = kompass.translations.counts(lang)
        assert counts["missing"] == 0 and counts["outdated"] == 0, lang
        if lang in BY_HAND:
            assert counts["machine"] == 0 and counts["reviewed"] == total, lang
        else:  # machine-made, but for the strings a reader corrected and marked reviewed
            assert counts["machine"] + counts["reviewed"] == total, lang
            assert counts["reviewed"] <= 2, lang
        assert kompass.codelist_translations.counts(lang, set(kompass.codelists))["missing"] == 0


def test_each_language_is_named_as_its_speakers_write_it(kompass):
    names = {language.tag: language.name for language in languages.offered(kompass)}
    assert names["ckb"] == "کوردی (سۆرانی)"
    assert names["kmr"] == "Kurmancî"
    assert names["om"] == "Afaan Oromoo"
    assert names["fa-AF"] == "دری"
    assert (names["so"], names["ps"], names["ti"]) == ("Soomaali", "پښتو", "ትግርኛ")
    assert (names["uk"], names["am"]) == ("Українська", "አማርኛ")


def test_every_language_has_all_its_files(kompass):
    """A language is its files: questionnaire, code lists, interface catalogue."""
    for tag in LANGUAGES:
        assert (ROOT / "codelists" / "translations" / f"{tag}.yaml").is_file(), tag
        assert (ROOT / "interface" / f"{tag}.po").is_file(), tag


def test_standard_code_lists_are_shared(kompass):
    assert set(kompass.codelists) == {
        "isced_level",
        "iscedf_broad",
        "isco08_major",
        "licence_category",
        "language_scale",
    }
    assert kompass.codelists["isced_level"].values == [str(level) for level in range(9)]
    assert kompass.codelists["licence_category"].values[:5] == ["AM", "A1", "A2", "A", "B"]


def test_countries_and_languages_are_named_in_every_language(kompass):
    citizenship = kompass.questions["citizenship"]
    for tag in LANGUAGES:
        labels = {o.value: o.label for o in kompass.options(citizenship, tag)}
        assert labels["NO"].value and labels["NO"].value != "NO"
        assert "stateless" in labels and "unknown" in labels
    assert kompass.option_label(citizenship, "NO", "nb").value == "Norge"
    mother_tongue = kompass.questions["mother_tongue"]
    assert kompass.option_label(mother_tongue, "ti", "ti").value == "ትግርኛ"


def test_the_codebook_labels_every_language(kompass):
    variables = {v["name"]: v for v in codebook.build(kompass)["variables"]}
    label = variables["mother_tongue"]["label"]
    assert (label["uk"], label["am"]) == ("Яка ваша рідна мова?", "የአፍ መፍቻ ቋንቋዎ ምንድን ነው?")
    assert set(label) == LANGUAGES
