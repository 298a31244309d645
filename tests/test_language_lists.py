"""Lists of languages people can use: living languages, real names, common ones first, 'Other'."""

import json
import re
from pathlib import Path

import pytest

from engine import frozen, plugins
from engine.cldr_lists import CldrLists
from engine.loader import load_all
from tests.conftest import hidden
from tests.helpers import add_person, log_in, make_code, post_section
from tests.staff_helpers import add_user, staff_login

ROOT = Path(__file__).resolve().parent.parent / "questionnaires"
LANGUAGE_QUESTIONS = ("mother_tongue", "other_language", "interpreter_language")
NOT_LIVING_OR_CONFUSING = ("zxx", "und", "mul", "mis", "grc", "la", "sa", "eo", "tlh", "gbz")
CODE_LIKE = re.compile(r"[a-z]{2,3}([_-][A-Za-z0-9]+)*")


@pytest.fixture(scope="module")
def kompass():
    loaded = load_all(ROOT, plugins.question_types(plugins.make_plugin_manager()))
    return loaded[("kompass", 1)]


def test_every_language_names_every_option_without_a_code(kompass):
    assert len(kompass.languages()) == 15
    for lang in kompass.languages():
        for qid in LANGUAGE_QUESTIONS:
            options = kompass.options(kompass.questions[qid], lang)
            assert len({o.label.value.casefold() for o in options}) == len(options), lang
            for option in options:
                label = option.label.value
                assert label.casefold() != option.value.casefold(), (lang, option)
                assert not CODE_LIKE.fullmatch(label), (lang, option)
                assert option.label.lang in (lang, "en"), (lang, option)


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
    from engine.storage import Response

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
