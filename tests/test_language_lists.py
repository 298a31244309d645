"""Lists of languages people can use: living languages, real names, common ones first, 'Other'."""

import json
import re
import unicodedata
from pathlib import Path

import icu
import pytest
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages

from engine.app import plugins
from engine.definition.cldr_lists import CldrLists
from engine.definition.errors import QuestionnaireError
from engine.definition.loader import load_all
from engine.versions import frozen
from tests.conftest import hidden
from tests.helpers import add_person, log_in, make_code, post_section
from tests.staff_helpers import add_user, staff_login
from tests.translation_helpers import copy_tree

pytestmark = pytest.mark.database_incidental

ROOT = Path(__file__).resolve().parent.parent / "questionnaires"
LANGUAGE_QUESTIONS = ("mother_tongue", "other_language", "interpreter_language")
NOT_LIVING_OR_CONFUSING = ("zxx", "und", "mul", "mis", "grc", "la", "sa", "eo", "tlh", "gbz")
CODE_LIKE = re.compile(r"[a-z]{2,3}([_-][A-Za-z0-9]+)*")


@pytest.fixture(scope="module")
def kompass():
    loaded = load_all(ROOT, plugins.question_types(plugins.make_plugin_manager()))
    return loaded[("kompass", 1)]


def test_every_language_names_every_option_without_a_code(kompass):
    assert {"uk", "am", "ar", "ti"} <= set(kompass.languages())
    for lang in kompass.languages():
        for qid in LANGUAGE_QUESTIONS:
            options = kompass.options(kompass.questions[qid], lang)
            assert len({o.label.value.casefold() for o in options}) == len(options), lang
            for option in options:
                label = option.label.value
                assert label.casefold() != option.value.casefold(), (lang, option)
                assert not CODE_LIKE.fullmatch(label), (lang, option)
                assert option.label.lang in (lang, "en", option.value), (lang, option)


def test_names_fall_back_to_english_only_where_the_language_has_none(kompass):
    names = {o.value: o.label for o in kompass.options(kompass.questions["mother_tongue"], "om")}
    assert (names["ar"].value, names["ar"].lang) == ("Arabiffaa", "om")
    assert names["aeb"].lang == "en" and names["aeb"].value == "Tunisian Arabic"


def test_special_ancient_constructed_and_confusing_languages_are_not_offered(kompass):
    for qid in LANGUAGE_QUESTIONS:
        choices = set(kompass.choices(kompass.questions[qid]))
        assert not choices & set(NOT_LIVING_OR_CONFUSING)
        assert {"ar", "ti", "uk", "fa-AF", "ckb", "aeb"} <= choices
    labels = {o.label.value for o in kompass.options(kompass.questions["mother_tongue"], "en")}
    assert not {"Unknown language", "No linguistic content", "Zoroastrian Dari"} & labels


def test_the_common_languages_come_first_then_by_name_then_other(kompass):
    first = kompass.source.first_options["languages"]
    assert first[:4] == ["uk", "ar", "ti", "fa-AF"]
    for lang in kompass.languages():
        options = kompass.options(kompass.questions["mother_tongue"], lang)
        assert [o.value for o in options[: len(first)]] == first
        assert options[-1].value == "other"
    nb = [o.label.value for o in kompass.options(kompass.questions["mother_tongue"], "nb")]
    rest = nb[len(first) : -1]
    assert rest.index("Zulu") < rest.index("Østfrisisk")  # Norwegian order: æ, ø, å last
    assert rest.index("Abkhasisk") < rest.index("Baskisk")


def test_the_lists_are_frozen_into_the_bundle(kompass):
    thawed = frozen.thaw(json.loads(json.dumps(frozen.freeze(kompass))), kompass.types)
    for lang in ("ar", "om", "ti"):
        question = thawed.questions["mother_tongue"]
        assert thawed.options(question, lang) == kompass.options(
            kompass.questions["mother_tongue"], lang
        )


def test_a_bundle_published_before_fallback_and_order_still_reads(kompass):
    data = kompass.cldr.to_dict()
    del data["fallback"], data["order"]
    old = CldrLists.from_dict(data)
    assert old.english_name("languages", "ar") is None and old.order == {}


def test_other_language_with_free_text_round_trip(app, client, runner):
    log_in(client, make_code(runner))
    before = client.get("/en/form/personal").text  # only hidden, for kompass.js to show
    assert re.search(r'<div class="field" id="q-mother_tongue_other"[^>]*\shidden>', before)
    assert "mother_tongue_other" not in hidden(before, "shown")
    response = post_section(
        client, "en", "personal", {"q.citizenship": "ER", "q.mother_tongue": "other"}
    )
    assert response.status_code == 200 and 'name="q.mother_tongue_other"' in response.text
    assert "Write the name of the language" in response.text
    assert "More questions appeared" in response.text  # a question not seen yet is no error
    assert 'class="error-summary"' not in response.text
    unanswered = {"q.citizenship": "ER", "q.mother_tongue": "other", "q.mother_tongue_other": ""}
    assert post_section(client, "en", "personal", unanswered).status_code == 422
    too_long = {
        "q.citizenship": "ER",
        "q.mother_tongue": "other",
        "q.mother_tongue_other": "x" * 101,
    }
    assert post_section(client, "en", "personal", too_long).status_code == 422
    answers = {"q.citizenship": "ER", "q.mother_tongue": "other", "q.mother_tongue_other": "Kunama"}
    assert post_section(client, "en", "personal", answers).status_code == 302
    review = client.get("/en/form/review").text
    assert "Other language" in review and "Kunama" in review
    from engine.responses.storage import Response

    with app.app_context(), app.extensions["kompass"].sessions() as session:
        stored = session.query(Response).one().answers
    assert stored == {
        "citizenship": "ER",
        "mother_tongue": "other",
        "mother_tongue_other": "Kunama",
    }
    add_user(app, "veileder", ["bosetting"], "4601")
    staff = app.test_client()
    staff_login(staff, "veileder")
    profile = staff.get(f"/admin/personer/{add_person(app)}/kartlegging").text
    assert "Annet språk" in profile and "Skriv navnet på språket" in profile
    assert re.search(r'lang="en"[^>]*>Kunama<', profile)
    answers = {"q.citizenship": "ER", "q.mother_tongue": "ti", "q.mother_tongue_other": "Kunama"}
    assert post_section(client, "en", "personal", answers).status_code == 302
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert "mother_tongue_other" not in session.query(Response).one().answers


NON_LATIN_LISTS = ("ar", "fa", "fa-AF", "ps", "ckb", "ti", "am", "uk", "ru")
LISTS = (*LANGUAGE_QUESTIONS, "citizenship", "edu_country")


def latin(text: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


def own_name(kind: str, code: str) -> str | None:
    """The endonym CLDR has for a language, or a country's name in an official language."""
    locales = [code] if kind == "languages" else get_official_languages(code, de_facto=True)
    for tag in locales:
        try:
            locale = Locale.parse(tag.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
        names = locale.languages if kind == "languages" else locale.territories
        if names.get(code):
            return names[code]
    return None


def english_fallbacks(kompass, qid: str, lang: str) -> list[str]:
    """Names in a list that are English stand-ins: CLDR's English name, or Latin script that
    is not the value's own name (as CLDR or the questionnaire's translation files write it)."""
    question = kompass.questions[qid]
    kind = "countries" if qid.endswith(("citizenship", "country")) else "languages"
    english = (
        Locale.parse("en").languages if kind == "languages" else Locale.parse("en").territories
    )
    file_names = {tag: file.native_name for tag, file in kompass.translations.files.items()}
    found = []
    for option in kompass.options(question, lang):
        name = option.label.value
        endonyms = {own_name(kind, option.value), file_names.get(option.value)} - {None}
        if name.casefold() in {e.casefold() for e in endonyms}:
            continue  # a name in its own language is no stand-in, even when English has it too
        if name.casefold() == (english.get(option.value) or "").casefold() or latin(name):
            found.append(name)
    return found


@pytest.mark.parametrize("lang", NON_LATIN_LISTS)
def test_no_english_fallback_in_a_list_in_another_script(kompass, lang):
    for qid in LISTS:
        assert english_fallbacks(kompass, qid, lang) == [], (lang, qid)
    assert len(kompass.options(kompass.questions["mother_tongue"], lang)) > 300


def test_the_count_sees_english_names(kompass):
    """The counter itself: English stand-ins in a Latin list are counted."""
    assert "Tunisian Arabic" in english_fallbacks(kompass, "mother_tongue", "om")


def test_names_in_the_reader_script_or_their_own(kompass):
    ckb = {
        o.value: o.label.value for o in kompass.options(kompass.questions["mother_tongue"], "ckb")
    }
    assert ckb["ckb"] == "کوردی (سۆرانی)" and ckb["kmr"] == "کوردی (کورمانجی)"
    assert ckb["fa-AF"] == "دری"  # CLDR has no Sorani name for Dari: its own name stands in
    for lang in set(kompass.languages()) - {"en"}:
        name = kompass.option_label(kompass.questions["mother_tongue"], "kmr", lang)
        assert name.lang == lang and name.value != "Kurmanji (Northern Kurdish)", lang
    ti = [o.value for o in kompass.options(kompass.questions["mother_tongue"], "ti")]
    ethiopic_after_first = ti[len(kompass.source.first_options["languages"])]
    assert not latin(
        kompass.option_label(kompass.questions["mother_tongue"], ethiopic_after_first, "ti").value
    )


def test_an_answer_the_list_leaves_out_stays_chosen(app, client, runner):
    log_in(client, make_code(runner))
    answers = {"q.citizenship": "AL", "q.mother_tongue": "aln"}  # no Arabic or own name
    assert post_section(client, "en", "personal", answers).status_code == 302
    page = client.get("/ar/form/personal").text
    assert '<option value="aln" selected>Gheg Albanian</option>' in page
    assert page.count('value="aln"') == 1
    assert 'value="aln"' not in client.get("/ti/form/personal").text.split("selected")[0]


def test_translation_files_name_what_cldr_does_not(kompass):
    """ar.yaml names the Arabic varieties CLDR has no Arabic name for; they are sorted in."""
    options = kompass.options(kompass.questions["mother_tongue"], "ar")
    names = {o.value: o.label for o in options}
    assert (names["ary"].value, names["ary"].lang) == ("العربية المغربية (الدارجة)", "ar")
    assert names["aeb"].value == "العربية التونسية"
    at = [o.value for o in options].index("ary")
    key = icu.Collator.createInstance(icu.Locale("ar")).getSortKey
    before, after = options[at - 1].label.value, options[at + 1].label.value
    assert key(before) <= key(names["ary"].value) <= key(after)  # sorted in by its name


def test_a_misspelt_code_in_a_translation_file_names_the_nearest(tmp_path):
    root = copy_tree(tmp_path)
    file = root / "kompass/1/translations/ar.yaml"
    file.write_text(file.read_text("utf-8").replace('"aeb": "العربية', '"aebb": "العربية'), "utf-8")
    with pytest.raises(QuestionnaireError) as raised:
        load_all(root, plugins.question_types(plugins.make_plugin_manager()))
    error = raised.value.errors[0]
    assert "options.languages.aebb" in str(error) and "options.languages.aeb" in str(error)
