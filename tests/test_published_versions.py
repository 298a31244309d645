"""Published versions are frozen in the database: the app serves them whatever the files say."""

import json
import re
import shutil

import pytest
import yaml

from engine.app import serve
from engine.app.cli import main
from engine.app.factory import create_app
from engine.responses.storage import Response
from engine.translation.state import is_sidecar
from engine.versions import published
from tests.conftest import TEST_SETTINGS
from tests.helpers import log_in, make_code, post_section


@pytest.fixture
def make_app(database_url, tree, monkeypatch):
    """A new app process on the same database and folder (as after a restart)."""
    monkeypatch.setenv("KOMPASS_QUESTIONNAIRES_DIR", str(tree))
    monkeypatch.setenv("KOMPASS_DATABASE_URL", database_url)
    made = []

    def make():
        made.append(create_app({**TEST_SETTINGS, "DATABASE_URL": database_url}))
        return made[-1]

    yield make
    for app in made:
        app.extensions["kompass"].sessions.kw["bind"].dispose()


def kompass(app, *args):
    """Run `kompass ARGS` against this app."""
    return app.test_cli_runner().invoke(main, list(args))


def row(app, version: int):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        found = published.find(session, "kompass", version)
        return found and {
            "fingerprint": found.fingerprint,
            "content": found.content,
            "json_schema": found.json_schema,
            "codebook": found.codebook,
            "files": found.files,
        }


def responses(app) -> list[tuple[int, dict]]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return [(r.questionnaire_version, r.answers) for r in session.query(Response)]


def edit_yaml(path, change) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def respondent(app, duf="202000000000"):
    client = app.test_client()
    log_in(client, make_code(app.test_cli_runner(), duf), duf)
    return client


def test_publishing_freezes_content_code_lists_cldr_schema_and_codebook(make_app):
    app = make_app()
    result = kompass(app, "questionnaire", "publish", "kompass", "1")
    assert result.exit_code == 0 and "Published kompass version 1" in result.output
    frozen = row(app, 1)
    assert re.fullmatch(r"[0-9a-f]{64}", frozen["fingerprint"])
    content, cldr = frozen["content"]["content"], frozen["content"]["cldr"]
    assert content["codelists"]["isced_level"]["values"][:2] == ["0", "1"]
    assert content["codelist_texts"]["languages"]["nb"]["texts"]["isced_level"]["0"]
    assert cldr["names"]["ar"]["countries"]["SY"] == "سوريا"
    assert "ER" in cldr["codes"]["countries"] and cldr["locales"]["ckb"]["dir"] == "rtl"
    assert frozen["json_schema"]["$id"] == "urn:kompass:questionnaire:kompass:1"
    citizenship = next(v for v in frozen["codebook"]["variables"] if v["name"] == "citizenship")
    syria = next(v for v in citizenship["values"] if v["value"] == "SY")
    assert syria["label"]["nb"] == "Syria" and syria["label"]["ti"]
    assert set(frozen["files"]) >= {"questionnaire.yaml", "translations/nb.yaml"}
    again = kompass(app, "questionnaire", "publish", "kompass", "1")
    assert again.exit_code == 0 and "Already published, unchanged" in again.output
    assert row(app, 1)["fingerprint"] == frozen["fingerprint"]


def test_the_app_serves_what_was_frozen_and_check_names_the_changed_file(make_app, tree):
    kompass(make_app(), "questionnaire", "publish", "kompass", "1")
    nb_file = tree / "kompass" / "1" / "translations" / "nb.yaml"
    edit_yaml(nb_file, lambda d: d["questions"]["school_years"].update(label="ENDRET"))
    app = make_app()
    page = respondent(app).get("/nb/form/education").text
    assert "ENDRET" not in page and "skole" in page.lower()
    assert any("translations/nb.yaml" in warning for warning in serve.version_warnings(app))
    check = kompass(app, "questionnaire", "check")
    assert check.exit_code == 1
    assert "nb.yaml" in check.output and "published-version-changed" in check.output
    assert "kompass questionnaire new-version kompass" in check.output
    refused = kompass(app, "questionnaire", "publish", "kompass", "1")
    assert refused.exit_code != 0 and "new-version" in refused.output


def test_a_broken_draft_folder_does_not_stop_the_app(make_app, tree):
    kompass(make_app(), "questionnaire", "publish", "kompass", "1")
    draft = tree / "kompass" / "2"
    shutil.copytree(tree / "kompass" / "1", draft)
    (draft / "questionnaire.yaml").write_text("id: kompass\nversion: 2\nsections: [", "utf-8")
    app = make_app()
    client = respondent(app)
    assert client.get("/en/form/personal").status_code == 200
    check = kompass(app, "questionnaire", "check")
    assert check.exit_code == 1 and "yaml-syntax" in check.output
    publish = kompass(app, "questionnaire", "publish", "kompass", "2")
    assert publish.exit_code != 0 and "not published" in publish.output
    assert row(app, 2) is None


def test_new_version_copies_the_newest_folder_and_diff_lists_the_changes(make_app, tree):
    app = make_app()
    kompass(app, "questionnaire", "publish", "kompass", "1")
    made = kompass(app, "questionnaire", "new-version", "kompass")
    assert made.exit_code == 0, made.output
    text = (tree / "kompass" / "2" / "questionnaire.yaml").read_text("utf-8")
    assert "version: 2\n" in text and "# 2. Education" in text
    assert kompass(app, "questionnaire", "check").exit_code == 0
    edit_yaml(
        tree / "kompass" / "2" / "translations" / "en.yaml",
        lambda d: d["questions"]["school_years"].update(label="Years at school"),
    )
    readable = kompass(app, "questionnaire", "diff", "kompass", "1", "2")
    assert readable.exit_code == 0 and "questions.school_years.label" in readable.output
    as_json = json.loads(
        kompass(app, "questionnaire", "diff", "kompass", "1", "2", "--json").output
    )
    assert [c["new"] for c in as_json if c["path"].endswith("school_years.label")] == [
        "Years at school"
    ]


def test_a_draft_survives_its_version_folder_being_deleted(make_app, tree):
    app = make_app()
    kompass(app, "questionnaire", "publish", "kompass", "1")
    client = respondent(app)
    post_section(client, "en", "education", {"q.school_years": "12"})
    kompass(app, "questionnaire", "new-version", "kompass")
    edit_yaml(tree / "kompass" / "2" / "questionnaire.yaml", _without_school_years)
    edit_yaml(tree / "kompass" / "2" / "translations" / "en.yaml", _without_school_years_text)
    for other in (tree / "kompass" / "2" / "translations").glob("*.yaml"):
        if other.name != "en.yaml" and not is_sidecar(other):
            edit_yaml(other, _without_school_years_text)
    published_2 = kompass(app, "questionnaire", "publish", "kompass", "2")
    assert published_2.exit_code == 0, published_2.output
    shutil.rmtree(tree / "kompass" / "1")
    restarted = make_app()
    client = respondent(restarted)
    page = post_section(client, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    assert page.status_code == 302
    assert "school_years" in client.get("/en/form/education").text
    assert responses(restarted) == [
        (1, {"school_years": 12, "citizenship": "SY", "mother_tongue": "ar"})
    ]
    newcomer = respondent(restarted, "202100000017")
    assert "school_years" not in newcomer.get("/en/form/education").text
    assert sorted(v for v, _ in responses(restarted)) == [1, 2]


def _version_two_without_school_years(app, tree) -> None:
    kompass(app, "questionnaire", "new-version", "kompass")
    edit_yaml(tree / "kompass" / "2" / "questionnaire.yaml", _without_school_years)
    for translation in (tree / "kompass" / "2" / "translations").glob("*.yaml"):
        if not is_sidecar(translation):
            edit_yaml(translation, _without_school_years_text)


def test_a_version_published_by_another_process_is_served_at_once(make_app, tree):
    serving = make_app()
    kompass(serving, "questionnaire", "publish", "kompass", "1")
    first = respondent(serving)
    assert "school_years" in first.get("/en/form/education").text  # the newest id is kept
    other = make_app()  # another process: its own engine, registry and caches
    _version_two_without_school_years(other, tree)
    assert kompass(other, "questionnaire", "publish", "kompass", "2").exit_code == 0
    newcomer = respondent(serving, "202100000017")
    assert "school_years" not in newcomer.get("/en/form/education").text
    assert "school_years" in first.get("/en/form/education").text  # started on version 1


def _without_school_years(data: dict) -> None:
    education = next(s for s in data["sections"] if s["id"] == "education")
    education["questions"] = [q for q in education["questions"] if q["id"] != "school_years"]
    data["warnings"] = [w for w in data.get("warnings", []) if "school_years" not in w["when"]]


def _without_school_years_text(data: dict) -> None:
    data.get("questions", {}).pop("school_years", None)
    data.get("messages", {}).pop("check_university_without_schooling", None)  # its warning too


def test_removing_a_code_list_value_never_breaks_older_drafts(make_app, tree):
    app = make_app()
    kompass(app, "questionnaire", "publish", "kompass", "1")
    client = respondent(app)
    post_section(client, "en", "education", {"q.education.count": "0"}, "add:education")
    post_section(
        client, "en", "education", {"q.education.count": "1", "q.education.0.edu_level": "3"}
    )
    edit_yaml(tree / "codelists" / "isced_level.yaml", lambda d: d["values"].remove("3"))
    restarted = make_app()
    client = respondent(restarted)
    saved = post_section(client, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    assert saved.status_code == 302
    [(_, answers)] = responses(restarted)
    assert answers["education"][0]["edu_level"] == "3" and answers["citizenship"] == "SY"
    assert 'value="3" checked' in client.get("/en/form/education").text


def test_a_version_that_cannot_be_served_is_never_replaced_by_another(make_app):
    app = make_app()
    kompass(app, "questionnaire", "publish", "kompass", "1")
    client = respondent(app)
    post_section(client, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.add(published.PublishedVersion(questionnaire_id="kompass", version=2))
        session.commit()
        response = session.query(Response).one()
        response.version_id = published.find(session, "kompass", 2).id
        session.commit()
    page = respondent(make_app()).get("/en/form/personal")
    assert page.status_code == 503 and "not available" in page.text


def test_before_anything_is_published_the_start_page_offers_no_form(make_app):
    page = make_app().test_client().get("/")
    assert page.status_code == 200
    assert make_app().test_client().get("/en/login").status_code == 404


BILLION_LAUGHS = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
    for i in range(9)
)


def test_an_alias_bomb_in_a_published_folder_is_reported_never_expanded(make_app, tree):
    kompass(make_app(), "questionnaire", "publish", "kompass", "1")
    (tree / "kompass" / "1" / "translations" / "nb.yaml").write_text(BILLION_LAUGHS, "utf-8")
    app = make_app()
    assert respondent(app).get("/nb/form/personal").status_code == 200
    check = kompass(app, "questionnaire", "check")
    assert check.exit_code == 1 and "yaml-alias" in check.output
    assert "published-version-changed" in check.output
