"""What is fixed for a version and language is computed once, and never mixed up."""

import copy
import gzip
import re
from pathlib import Path

import pytest
from flask import render_template
from jinja2 import Environment

from engine.app import plugins
from engine.definition.cldr_lists import CldrLists
from engine.definition.loader import load_all
from engine.questionnaire import languages
from engine.translation import catalogues as translation_catalogues
from engine.versions import frozen, registry
from renderers.html import fields, page_cache
from tests.conftest import hidden
from tests.helpers import log_in, make_code, post_section
from tests.translation_helpers import copy_tree, published_app

pytestmark = pytest.mark.database_incidental

ROOT = Path(__file__).resolve().parent.parent / "questionnaires"
PERSONAL = "/ar/form/personal?beside=nb"


@pytest.fixture(scope="module")
def bundle():
    types = plugins.question_types(plugins.make_plugin_manager())
    return frozen.freeze(load_all(ROOT, types)[("kompass", 1)]), types


@pytest.fixture
def cldr_lookups(monkeypatch):
    """Counts every CLDR name looked up, in any version (thawed afresh for the test: versions
    are shared by the apps of a process, with the values their memos keep)."""
    registry.THAWED.clear()
    counted = {"lookups": 0}
    name, english_name = CldrLists.name, CldrLists.english_name

    def counting(original):
        def lookup(*args):
            counted["lookups"] += 1
            return original(*args)

        return lookup

    monkeypatch.setattr(CldrLists, "name", counting(name))
    monkeypatch.setattr(CldrLists, "english_name", counting(english_name))
    return counted


def test_a_second_page_and_a_save_look_up_no_cldr_name(client, runner, cldr_lookups):
    log_in(client, make_code(runner))
    first = client.get(PERSONAL)
    assert first.status_code == 200 and cldr_lookups["lookups"] > 1000
    cldr_lookups["lookups"] = 0
    second = client.get(PERSONAL)
    assert second.text.count("<option") == first.text.count("<option") > 400
    saved = post_section(client, "ar", "personal", {"q.citizenship": "SY"}, "save")
    assert saved.status_code == 200
    assert cldr_lookups["lookups"] == 0


def test_pages_in_two_languages_keep_their_own_labels(client, runner):
    log_in(client, make_code(runner))
    arabic = client.get("/ar/form/personal?beside=nb").text
    english = client.get("/en/form/personal").text
    norwegian = client.get("/nb/form/personal?beside=ar").text
    assert "سوريا" in arabic and "Syria" in english and "Syria" in norwegian
    assert "سوريا / " in arabic.replace("\u2068", "").replace("\u2069", "")
    assert "سوريا" not in english and "Syria /" not in english
    assert "Syria / " in norwegian.replace("\u2068", "").replace("\u2069", "")


def _two_versions(bundle):
    content, types = bundle
    changed = copy.deepcopy(content)
    changed["cldr"]["names"]["nb"]["countries"]["SY"] = "Syria (ny versjon)"
    return frozen.thaw(content, types), frozen.thaw(changed, types)


def test_a_cache_never_mixes_versions_or_languages(bundle):
    first, second = _two_versions(bundle)
    citizenship = first.questions["citizenship"]
    for lang in ("nb", "ar", "nb", "ar"):
        for version in (first, second, first):
            labels = {o.value: o.label.value for o in version.options(citizenship, lang)}
            fresh = copy.copy(version)
            fresh.memo = type(version.memo)(10)
            assert labels == {o.value: o.label.value for o in fresh.options(citizenship, lang)}
    assert first.option_label(citizenship, "SY", "nb").value == "Syria"
    assert second.option_label(citizenship, "SY", "nb").value == "Syria (ny versjon)"
    assert second.option_label(citizenship, "SY", "ar").value == "سوريا"
    assert languages.offered(first) == languages.offered(second)
    assert languages.offered(first) is not languages.offered(first)  # a copy each time


def test_built_choices_are_kept_per_language_and_beside_language(bundle):
    questionnaire, _ = _two_versions(bundle)
    question = questionnaire.questions["citizenship"]
    seen = {}
    for lang, beside in (("ar", "nb"), ("nb", "ar"), ("ar", None), ("ar", "nb")):
        state = fields.PageState(questionnaire, {}, {}, [], lang, beside)
        [field] = fields.build(state, [question])
        syria = next(choice for choice in field.choices if choice.value == "SY")
        assert syria.label.first.lang == lang
        assert (syria.label.second.lang if syria.label.second else None) == beside
        seen.setdefault((lang, beside), field.choices[0])
        assert seen[(lang, beside)] is field.choices[0]  # built once, then reused


def test_setting_a_source_of_the_memo_empties_it(bundle):
    questionnaire, _ = _two_versions(bundle)
    questionnaire.options(questionnaire.questions["citizenship"], "nb")
    assert len(questionnaire.memo) > 0
    questionnaire.translations = questionnaire.translations
    assert len(questionnaire.memo) == 0


def test_the_memo_is_bounded(bundle):
    questionnaire, _ = _two_versions(bundle)
    questionnaire.memo.size = 3
    for lang in questionnaire.languages():
        questionnaire.options(questionnaire.questions["citizenship"], lang)
    assert len(questionnaire.memo) == 3


ANSWER_SETS = [
    {},
    {"education": [{"_id": "a", "edu_status": "ongoing"}, {"_id": "b", "edu_status": "done"}]},
    {"education": [{"_id": "a"}], "school_years": 0},
    {"mother_tongue": "other", "citizenship": "SY"},
    {"has_work_experience": "yes", "jobs": [{"_id": "j", "job_ongoing": "yes"}, {"_id": "k"}]},
    {"has_work_experience": "no", "jobs": [{"_id": "j"}], "has_licence": "yes"},
    {"interpreter_used": "yes", "interpreter_language": "other", "other_languages": [{}]},
]


@pytest.mark.parametrize("answers", ANSWER_SETS)
def test_visible_ids_are_the_ids_a_built_page_shows(bundle, answers):
    questionnaire, _ = _two_versions(bundle)
    for section in questionnaire.sections(include_staff=True):
        state = fields.PageState(questionnaire, answers, {}, [], "en", None)
        built = fields.build(state, section.questions)
        assert fields.visible_ids(questionnaire, section.questions, answers) == _ids(built)


def _ids(built) -> set[str]:
    ids = set()
    for item in built:
        if item.hidden:  # a follow-up waiting for its trigger: in the markup, hidden
            continue
        ids.add(item.question.id)
        for entry in item.entries:
            ids |= _ids(entry)
    return ids


def test_pages_are_compressed_for_browsers_that_accept_it(client, runner):
    log_in(client, make_code(runner))
    plain = client.get(PERSONAL)
    packed = client.get(PERSONAL, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3


OLD_LOOP = (
    '{% for c in f.choices %}<option value="{{ c.value }}"{% if c.value == f.value %} selected'
    "{% endif %}>{{ c.option_text }}</option>{% endfor %}"
)


@pytest.mark.parametrize("value", ["SY", "unknown", "", "no-such-value", ["SY"]])
def test_drop_down_options_are_what_the_template_loop_made(bundle, value):
    questionnaire, _ = _two_versions(bundle)
    state = fields.PageState(questionnaire, {"citizenship": value}, {}, [], "ar", "nb")
    for _ in range(2):
        [field] = fields.build(state, [questionnaire.questions["citizenship"]])
        expected = Environment(autoescape=True).from_string(OLD_LOOP).render(f=field)
        assert str(field.select_options()) == expected
        assert expected.count(" selected") == (value in ("SY", "unknown"))


SECTIONS = ("personal", "education", "language", "licence", "work")
STEPS = [
    ("personal", {"q.citizenship": "SY", "q.mother_tongue": "other"}),
    (
        "personal",
        {"q.citizenship": "SY", "q.mother_tongue": "other", "q.mother_tongue_other": "<b>&"},
    ),
    ("education", {"q.school_years": "12"}, "add:education"),
    ("language", {"q.scripts": ["latin", "arabic"], "q.norwegian_level.speak": "a1"}),
    ("licence", {"q.has_licence": "yes", "q.driving_years": "-5"}),
]


def _masked(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def _rendered_in_full(monkeypatch):
    """Every page and field rendered through the templates, nothing kept."""
    monkeypatch.setattr(
        page_cache, "section_page", lambda q, where, context, filling: _full_page(context())
    )
    monkeypatch.setattr(page_cache, "_field", lambda q, item, key, title: _full_field(item, title))


def _full_page(context: dict) -> str:
    return render_template(page_cache.PAGE_TEMPLATE, **context)


def _full_field(item, title) -> str:
    return render_template(page_cache.FIELD_TEMPLATE, f=item, section_title=title)


def test_kept_markup_gives_the_page_rendered_in_full(client, runner, monkeypatch):
    log_in(client, make_code(runner))
    for section, answers, *action in STEPS:
        post_section(client, "en", section, answers, *(action or ["save"]))
    urls = [
        f"/{lang}/form/{section}?beside={beside}"
        for lang, beside in (("en", ""), ("ar", "nb"), ("ti", "en"))
        for section in SECTIONS
    ]
    kept = [_masked(client.get(url).text) for url in urls + urls]
    with monkeypatch.context() as patched:
        _rendered_in_full(patched)
        full = [_masked(client.get(url).text) for url in urls]
    assert kept == full + full
    assert 'value="&lt;b&gt;&amp;"' in kept[0] and " started" in kept[0]


def test_each_respondent_sees_their_own_answers_token_and_revision(app, runner):
    pages = {}
    for duf, country in (("202000000001", "SY"), ("202000000002", "ER")):
        client = app.test_client()
        log_in(client, make_code(runner, duf), duf)
        post_section(client, "ar", "personal", {"q.citizenship": country}, "save")
        pages[country] = client.get(PERSONAL).text
    for country, other in (("SY", "ER"), ("ER", "SY")):
        assert f'<option value="{country}" selected>' in pages[country]
        assert f'<option value="{other}" selected>' not in pages[country]
    assert hidden(pages["SY"], "csrf_token") != hidden(pages["ER"], "csrf_token")


def test_an_edited_interface_catalogue_reaches_a_kept_page(tmp_path, database_url, monkeypatch):
    root = copy_tree(tmp_path)
    app = published_app(database_url, root)
    client = app.test_client()
    log_in(client, make_code(app.test_cli_runner()), lang="fr")
    assert "Suivant" in client.get("/fr/form/personal").text
    catalogue = root / "interface" / "fr.po"
    catalogue.write_text(catalogue.read_text("utf-8").replace('"Suivant"', '"Continuer"'), "utf-8")
    monkeypatch.setattr(translation_catalogues.PoCatalogues, "RECHECK_SECONDS", 0)
    page = client.get("/fr/form/personal").text
    assert "Continuer" in page and "Suivant" not in page
    app.extensions["kompass"].sessions.kw["bind"].dispose()
