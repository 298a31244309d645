"""Exports: filters, pseudonyms, identifiable exports, across versions, streaming, access, audit."""

import copy
import csv
import io
import json
import zipfile

import pytest
import yaml
from sqlalchemy import event, select

from auth.staff.models import AuditEvent
from engine.app.cli import main
from engine.app.factory import create_app
from engine.export import rows
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import INTERVIEW, Respondent
from tests import sample_tree
from tests.conftest import TEST_SETTINGS
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login, token

COMPLETE = {"citizenship": "SY", "mother_tongue": "ar"}


def answered(app, person_id: int, lang="ar", submit=True, mode="self", answers=COMPLETE):
    state = app.extensions["kompass"]
    subject = f"person:{person_id}"
    respondent = Respondent(subject, mode=mode, entered_by="user:1" if mode != "self" else None)
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open(subject, lang)
        section = opened.questionnaire.section_of[next(iter(answers))]
        service.save_section(opened, section, answers, 1, lang, respondent)
        if submit:
            assert not service.submit(opened, 2, respondent).problems


def tables(archive_bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        return {
            name[: -len(".csv")]: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
            if name.endswith(".csv")
        } | {
            name[: -len(".json")]: json.loads(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".json")
        }


def run_export(app, tmp_path, *args, name="export.zip"):
    out = tmp_path / name
    result = app.test_cli_runner().invoke(args=["export", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return tables(out.read_bytes())


@pytest.fixture
def registry_people(app):
    """Two settled persons in Bergen and one in Oslo, all submitted; one draft in Bergen."""
    ids = {
        "bergen": add_person(app, "202000000001", municipality="4601"),
        "bergen_ti": add_person(app, "202000000002", municipality="4601"),
        "oslo": add_person(app, "202000000003", municipality="0301"),
        "draft": add_person(app, "202000000004", municipality="4601"),
    }
    answered(app, ids["bergen"])
    answered(app, ids["bergen_ti"], lang="ti", mode=INTERVIEW)
    answered(app, ids["oslo"], lang="en")
    answered(app, ids["draft"], submit=False)
    return ids


def test_export_is_pseudonymised_stable_and_keyed(app, tmp_path, registry_people):
    first = run_export(app, tmp_path, "--format", "csv")
    again = run_export(app, tmp_path, "--format", "csv", name="again.zip")
    people = [r["person"] for r in first["responses"]]
    assert len(people) == 3 and len(set(people)) == 3
    assert people == [r["person"] for r in again["responses"]]
    assert not any(p.startswith("person:") or p.isdecimal() for p in people)
    assert {r["municipality"] for r in first["responses"]} == {"4601", "0301"}
    assert {r["county"] for r in first["responses"]} == {"Vestland", "Oslo"}
    assert "duf" not in first["responses"][0]
    other = create_app({**TEST_SETTINGS, "DATABASE_URL": app.config["KOMPASS_DATABASE_URL"],
                        "EXPORT_PSEUDONYM_KEY": "another key"})  # fmt: skip
    rekeyed = run_export(other, tmp_path, "--format", "csv", name="other.zip")
    other.extensions["kompass"].sessions.kw["bind"].dispose()
    assert not set(people) & {r["person"] for r in rekeyed["responses"]}


def test_filters_narrow_the_export(app, tmp_path, registry_people):
    def count(*args):
        return len(run_export(app, tmp_path, "--format", "csv", *args)["responses"])

    assert count() == 3
    assert count("--state", "draft") == 1
    assert count("--state", "draft", "--state", "submitted") == 4
    assert count("--municipality", "4601") == 2
    assert count("--language", "ti") == 1
    assert count("--mode", "interview") == 1
    assert count("--from", "2000-01-01", "--to", "2000-12-31") == 0
    assert count("--from", "2000-01-01") == 3


def test_an_identifiable_export_needs_the_option_and_says_so_in_its_name(
    app, tmp_path, registry_people
):
    refused = app.test_cli_runner().invoke(
        args=["export", "--format", "csv", "--identifiable", "--out", str(tmp_path / "x.zip")]
    )
    assert refused.exit_code != 0 and "identifiable" in refused.output
    found = run_export(app, tmp_path, "--format", "csv", "--identifiable",
                       name="kompass-identifiable.zip")  # fmt: skip
    assert {r["duf"] for r in found["responses"]} == {
        "202000000001",
        "202000000002",
        "202000000003",
    }


def test_every_export_is_audited_without_personal_data(app, tmp_path, registry_people):
    run_export(app, tmp_path, "--format", "jsonl", "--municipality", "4601")
    run_export(app, tmp_path, "--format", "csv", "--from", "2000-01-01", "--to", "2099-12-31",
               "--language", "ti", "--mode", "interview", "--state", "draft", "--state",
               "submitted", "--version", "1")  # fmt: skip
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
        ).all()
    assert {(e.actor_username, e.person_id) for e in events} == {("(command line)", None)}
    assert [e.details for e in events] == [
        {"questionnaire": "kompass", "version": "all", "format": "jsonl", "identifiable": False,
         "states": "submitted", "from": "", "to": "", "language": "", "mode": "",
         "municipality": "4601", "responses": 2},
        {"questionnaire": "kompass", "version": "1", "format": "csv", "identifiable": False,
         "states": "draft,submitted", "from": "2000-01-01", "to": "2099-12-31",
         "language": "ti", "mode": "interview", "municipality": "", "responses": 1},
    ]  # fmt: skip
    assert "2020" not in json.dumps([e.details for e in events])


def test_the_export_reads_in_batches_never_all_rows_at_once(app, tmp_path, monkeypatch):
    for n in range(7):
        answered(app, add_person(app, f"20200000010{n}"))
    batches = []
    stream = rows.stream

    def counting(session, layout, criteria, subject_values, person_id, batch=None):
        def counted(subjects):
            batches.append(len(subjects))
            return subject_values(subjects)

        return stream(session, layout, criteria, counted, person_id, batch=3)

    monkeypatch.setattr(rows, "stream", counting)
    options_seen = []
    bind = app.extensions["kompass"].sessions.kw["bind"]

    def record(conn, cursor, statement, parameters, context, executemany):
        if "FROM responses" in statement and "count(" not in statement.lower():
            options_seen.append(context.execution_options)

    event.listen(bind, "after_cursor_execute", record)
    try:
        run_export(app, tmp_path, "--format", "csv")
    finally:
        event.remove(bind, "after_cursor_execute", record)
    assert batches == [3, 3, 1]
    assert [o.get("yield_per") for o in options_seen] == [3]
    assert all(o.get("stream_results") for o in options_seen)


@pytest.fixture
def two_versions(database_url, tmp_path):
    """The sample questionnaire in version 1 and 2: `job` removed, `hobby` added, the status
    option 'ongoing' renamed 'in_progress'; one response in each version."""
    root = sample_tree.write(tmp_path / "questionnaires")
    settings = {**TEST_SETTINGS, "DATABASE_URL": database_url, "QUESTIONNAIRES_DIR": str(root),
                "ACTIVE_QUESTIONNAIRE": "sample"}  # fmt: skip
    app = create_app(settings)
    cli = app.test_cli_runner()
    assert cli.invoke(main, ["questionnaire", "publish", "sample", "1"]).exit_code == 0
    answered(app, 1, "en", answers={"country": "SY", "has_job": "yes", "job": "Nurse"})
    _write_version_2(root)
    published = cli.invoke(main, ["questionnaire", "publish", "sample", "2"])
    assert published.exit_code == 0, published.output
    course = {"status": "in_progress", "start": 2020}
    answers = {"country": "ER", "has_job": "no", "hobby": "Chess", "courses": [course]}
    answered(app, 2, "en", answers=answers)
    yield app
    app.extensions["kompass"].sessions.kw["bind"].dispose()


def _write_version_2(root) -> None:
    questionnaire = copy.deepcopy(sample_tree.QUESTIONNAIRE)
    questionnaire["version"] = 2
    questionnaire["option_lists"]["status"] = ["done", "in_progress"]
    about = questionnaire["sections"][0]["questions"]
    about[:] = [q for q in about if q["id"] != "job"] + [{"id": "hobby", "type": "text"}]
    english = copy.deepcopy(sample_tree.ENGLISH)
    english["questions"].pop("job")
    english["questions"]["hobby"] = {"label": "Hobby"}
    english["options"]["status"] = {"done": "Done", "in_progress": "In progress"}
    for name, data in (("questionnaire.yaml", questionnaire), ("translations/en.yaml", english)):
        path = root / "sample" / "2" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data), "utf-8")


def test_all_versions_join_on_question_ids_and_carry_the_change_list(two_versions, tmp_path):
    found = run_export(two_versions, tmp_path, "--format", "csv", "--version", "all")
    first, second = sorted(found["responses"], key=lambda row: row["version"])
    assert (first["version"], first["job"], first["hobby"]) == ("1", "Nurse", "")
    assert (second["version"], second["job"], second["hobby"]) == ("2", "", "Chess")
    [course] = found["courses"]
    assert (course["status"], course["position"]) == ("in_progress", "1") and course["entry_id"]
    versions = {r["column"]: r["versions"] for r in found["codebook"]}
    assert (versions["job"], versions["hobby"], versions["country"]) == ("1", "2", "1 2")
    statuses = {r["value"] for r in found["codebook_values"] if r["column"] == "status"}
    assert statuses == {"done", "ongoing", "in_progress"}
    [between] = found["changes"]
    paths = {(c["kind"], c["path"]) for c in between["changes"]}
    assert ("removed", "question job") in paths and ("added", "question hobby") in paths
    assert ("removed", "question status option ongoing") in paths
    package = found["datapackage"]
    courses = next(r for r in package["resources"] if r["name"] == "courses")
    assert courses["schema"]["foreignKeys"][0]["reference"]["resource"] == "responses"


def test_one_version_exports_only_its_own_responses(two_versions, tmp_path):
    found = run_export(two_versions, tmp_path, "--format", "csv", "--version", "1")
    assert [r["version"] for r in found["responses"]] == ["1"] and "hobby" not in found[
        "responses"
    ][0]
    assert found["changes"] == []


@pytest.fixture
def staff(app, registry_people):
    clients = {}
    for name, roles, municipality in (
        ("analyst", ["analytiker"], None), ("bergen", ["kommuneadmin"], "4601"),
        ("root", ["systemadmin"], None),
    ):  # fmt: skip
        add_user(app, name, roles, municipality)
        clients[name] = app.test_client()
        staff_login(clients[name], name)
    return clients


def download(client, **form):
    return client.post("/admin/eksport", data={"csrf_token": token(client), **form})


def test_analysts_download_the_export_from_the_staff_ui(app, staff):
    response = download(staff["analyst"], format="csv", version="all", state="submitted")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "pseudonymised" in response.headers["Content-Disposition"]
    assert len(tables(response.data)["responses"]) == 3
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [e.actor_username for e in events] == ["analyst"]


def test_a_municipal_administrator_exports_only_their_own_municipality(app, staff):
    for n in range(3):
        answered(app, add_person(app, f"20200000020{n}", municipality="4601"))
    response = download(staff["bergen"], format="csv", municipality="0301")
    assert {r["municipality"] for r in tables(response.data)["responses"]} == {"4601"}
    assert "-4601-" in response.headers["Content-Disposition"]


def test_only_a_system_administrator_exports_identifiable_data(staff):
    assert download(staff["analyst"], format="csv", identifiable="1").status_code == 403
    response = download(staff["root"], format="csv", identifiable="1")
    assert "identifiable" in response.headers["Content-Disposition"]
    assert "duf" in tables(response.data)["responses"][0]


@pytest.mark.parametrize(
    "form",
    [{"format": "exe"}, {"version": "99"}, {"from": "2025-13-01"}, {"state": "deleted"},
     {"mode": "telepathy"}, {"version": "1" * 10}],
)  # fmt: skip
def test_bad_export_filters_get_a_message_not_an_error(staff, form):
    response = download(staff["analyst"], **{"format": "csv", **form})
    assert response.status_code == 422 and 'role="alert"' in response.text
