"""The export's rules one by one, without a database: what a pseudonymised export shows of a
response's facts, how rows are read from answers, how columns of several versions join, and
how names are made to fit a format (issue 18 point 10: each rule a mutant showed unchecked)."""

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.export import layout as layouts
from engine.export import rows
from engine.export.codebook_rows import codebook_header, codebook_rows, value_rows, values_header
from engine.export.formats.csv_format import CsvFormat
from engine.export.formats.naming import unique_name
from engine.export.pseudonymise import LINKABLE, GroupCheck, Pseudonymiser, TooFewAlike, keyed
from tests.test_export_criteria import LANGUAGES, OSLO

KEY = "a-key"
FACTS = {
    "response_id": 7,
    "person": "pseudonym",
    "version": 1,
    "state": "submitted",
    "language": "ar",
    "mode": "interview",
    "created_at": datetime(2025, 3, 1, 23, 30, tzinfo=UTC),  # 2 March in Oslo
    "updated_at": datetime(2024, 12, 31, 23, 30),  # naive: stored UTC, 2025 in Oslo
    "submitted_at": None,
    "municipality": "4601",
}


def test_a_keyed_hash_is_stable_short_and_changes_with_key_and_value():
    assert keyed(KEY, "subject") == keyed(KEY, "subject")
    assert len(keyed(KEY, "subject")) == 20
    assert int(keyed(KEY, "subject"), 16) >= 0  # hexadecimal
    assert keyed("other-key", "subject") != keyed(KEY, "subject")
    assert keyed(KEY, "subject2") != keyed(KEY, "subject")


def test_a_person_is_the_keyed_hash_of_the_subject():
    assert Pseudonymiser(KEY, OSLO).person("DUF-1") == keyed(KEY, "DUF-1")
    assert rows.pseudonym(KEY, "DUF-1") == keyed(KEY, "DUF-1")


def test_an_analyst_gets_dates_in_norwegian_time_and_the_mode():
    shown = Pseudonymiser(KEY, OSLO).facts(FACTS)
    assert shown["created_at"] == "2025-03-02"
    assert shown["updated_at"] == "2025-01-01"
    assert shown["submitted_at"] is None
    assert shown["mode"] == "interview"
    assert {k: shown[k] for k in ("person", "version", "state", "language", "municipality")} == {
        "person": "pseudonym", "version": 1, "state": "submitted", "language": "ar",
        "municipality": "4601",
    }  # fmt: skip


def test_an_audit_reader_gets_years_and_no_mode():
    shown = Pseudonymiser(KEY, OSLO, min_group=5).facts(FACTS)
    assert (shown["created_at"], shown["updated_at"], shown["submitted_at"]) == (
        "2025", "2025", None,
    )  # fmt: skip
    assert shown["mode"] is None


def test_stored_times_are_utc_whatever_the_servers_zone_and_aware_ones_keep_theirs(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        tokyo = datetime(2025, 3, 2, 5, tzinfo=ZoneInfo("Asia/Tokyo"))  # 1 March 21:00 in Oslo
        evening = datetime(2025, 3, 1, 20)  # naive, so UTC: 21:00 in Oslo, not 02:00 next day
        shown = Pseudonymiser(KEY, OSLO).facts(dict(FACTS, created_at=tokyo, updated_at=evening))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert (shown["created_at"], shown["updated_at"]) == ("2025-03-01", "2025-03-01")


def test_a_missing_time_stays_empty():
    facts = {k: v for k, v in FACTS.items() if k != "created_at"}
    assert Pseudonymiser(KEY, OSLO).facts(facts)["created_at"] is None


def test_the_response_id_is_keyed_apart_from_persons_and_stable():
    shown = Pseudonymiser(KEY, OSLO).facts(FACTS)["response_id"]
    assert shown == Pseudonymiser(KEY, OSLO).facts(dict(FACTS))["response_id"]
    assert shown not in ("7", keyed(KEY, "7"))  # a person "7" never shares it
    assert shown != Pseudonymiser("other-key", OSLO).facts(FACTS)["response_id"]
    assert len(shown) == 20
    assert FACTS["response_id"] == 7  # the stored facts are left as they were


def test_verification_marks_are_shown_only_to_those_who_cannot_read_the_audit_log():
    assert Pseudonymiser(KEY, OSLO).shows_marks is True
    assert Pseudonymiser(KEY, OSLO, min_group=5).shows_marks is False
    assert rows.Identified().shows_marks is True


def test_the_group_check_counts_every_linkable_column_and_the_extra_ones():
    check = GroupCheck.of(["municipality"], 2)
    assert check.columns == (*LINKABLE, "municipality")
    assert set(LINKABLE) == {"version", "state", "mode", "created_at", "updated_at",
                             "submitted_at"}  # fmt: skip
    row = {name: "x" for name in check.columns}
    check.add(row)
    check.add(dict(row))
    check.verify()  # two alike: enough
    check.add(dict(row, municipality="y"))
    message = ("fewer than 2 responses share some combination of version, state, mode, "
               "created_at, updated_at, submitted_at, municipality")  # fmt: skip
    with pytest.raises(TooFewAlike, match=message):
        check.verify()


def test_the_group_check_tells_combinations_apart_by_each_column():
    for column in LINKABLE:
        check = GroupCheck.of([], 2)
        row = dict.fromkeys(LINKABLE, "x")
        check.add(row)
        check.add(row)
        check.add(dict(row, **{column: "y"}))
        check.add(dict(row, **{column: "y"}))
        check.verify()
        check.add(dict(row, **{column: "z"}))
        with pytest.raises(TooFewAlike):
            check.verify()


def test_without_a_minimum_nothing_is_counted_or_refused():
    check = GroupCheck.of([], 0)
    check.add(dict.fromkeys(LINKABLE, "x"))
    assert not check.counts
    check.verify()
    GroupCheck.of([], 5).verify()  # nothing exported: nothing to refuse


def test_a_name_is_cut_to_the_limit_and_numbered_when_taken_in_any_case():
    taken: set[str] = set()
    assert unique_name("Education", taken, 5) == "Educa"
    assert unique_name("EDUCATION", taken, 5) == "EDU_2"
    assert unique_name("education", taken, 5) == "edu_3"
    assert unique_name("job", taken, 5) == "job"
    assert taken == {"educa", "edu_2", "edu_3", "job"}
    many = {f"n_{n}" for n in range(2, 10)} | {"n"}
    assert unique_name("n", many, 5) == "n_10"


def column(name, variable="", kind=layouts.STRING, versions=(1,), **more) -> layouts.Column:
    return layouts.Column(name, kind, variable, versions=versions, **more)


def test_a_column_in_two_versions_joins_values_and_versions_in_order():
    old = column("q", "q", values=(("a", {"en": "A"}), ("b", {"en": "B old"})), versions=(2,))
    new = column("q", "q", values=(("b", {"en": "B"}), ("c", {"en": "C"})), versions=(3, 1),
                 label={"en": "new"})  # fmt: skip
    merged = old.merged(new)
    assert merged.values == (("a", {"en": "A"}), ("b", {"en": "B"}), ("c", {"en": "C"}))
    assert merged.versions == (1, 2, 3)
    assert merged.label == {"en": "new"}
    assert merged.coded and not merged.partly_coded


def test_a_column_coded_in_some_versions_only_is_not_coded():
    """A question whose type changed: its answers are not all among its values."""
    text, choice = column("q", "q", versions=(1,)), column("q", "q", values=(("a", {}),))
    several = column("q", "q", values=(("a", {}),), summary=True)
    for older, newer in ((text, choice), (choice, text), (several, choice), (choice, several)):
        assert not older.merged(newer).coded and older.merged(newer).values
    assert choice.merged(text).partly_coded and not choice.merged(text).merged(choice).coded


def small_layout() -> layouts.Layout:
    """Facts, a whole answer, a multiple choice in options, a grid in rows, and a group."""
    main = layouts.Table(layouts.RESPONSES, ("response_id",), [
        column("response_id", kind=layouts.INTEGER),
        column("name", "name"),
        column("age", "age", kind=layouts.INTEGER, versions=(2,)),
        column("langs", "langs", summary=True),
        column("langs__ar", "langs", kind=layouts.BINARY),
        column("langs__en", "langs", kind=layouts.BINARY),
        column("skills__read", "skills"),
        column("skills__write", "skills"),
    ])  # fmt: skip
    jobs = layouts.Table("jobs", ("response_id", "entry_id"), [
        column("response_id", kind=layouts.INTEGER),
        column("entry_id"),
        column("position", kind=layouts.INTEGER),
        column("title", "title"),
    ], parent=layouts.RESPONSES)  # fmt: skip
    return layouts.Layout("q", [1, 2], [main, jobs], LANGUAGES)


def test_a_response_becomes_its_row_and_one_row_per_entry():
    answers = {
        "name": "Amal", "age": 30, "langs": ["en"], "skills": {"write": "good"},
        "jobs": [{"_id": "e1", "title": "Cook"}, "not an entry", {"_id": "e3", "title": "Baker"}],
    }  # fmt: skip
    made = list(rows.plan(small_layout(), 1).rows({"response_id": 7}, answers))
    assert made == [
        ("responses", {
            "response_id": 7, "name": "Amal", "age": None, "langs": "en", "langs__ar": 0,
            "langs__en": 1, "skills__read": None, "skills__write": "good",
        }),
        ("jobs", {"response_id": 7, "entry_id": "e1", "position": 1, "title": "Cook"}),
        ("jobs", {"response_id": 7, "entry_id": "e3", "position": 3, "title": "Baker"}),
    ]  # fmt: skip


def test_a_version_reads_only_its_own_columns_and_unanswered_is_empty():
    made = list(rows.plan(small_layout(), 2).rows({"response_id": 8}, {"age": 30, "jobs": {}}))
    assert made == [
        ("responses", {
            "response_id": 8, "name": None, "age": 30, "langs": None, "langs__ar": None,
            "langs__en": None, "skills__read": None, "skills__write": None,
        }),
    ]  # fmt: skip


def test_several_chosen_values_are_joined_and_wrong_shapes_read_as_unanswered():
    answers = {"name": ["a", "b"], "langs": "ar", "skills": ["read"]}
    row = rows.plan(small_layout(), 1).main.row({"response_id": 1}, answers)
    assert row["name"] == "a;b"
    assert row["langs"] == "ar"
    assert (row["langs__ar"], row["langs__en"]) == (None, None)
    assert (row["skills__read"], row["skills__write"]) == (None, None)


def test_an_identified_export_keeps_subjects_and_facts_as_stored():
    identified = rows.Identified()
    assert identified.person("DUF-1") == "DUF-1"
    assert identified.facts(FACTS) is FACTS


def test_the_codebook_has_a_label_column_per_label_language_in_order():
    layout = layouts.Layout("q", [1], [], ("uk", "de", "en"))
    assert codebook_header(layout) == ("table", "column", "question", "type", "question_type",
                                       "label_uk", "label_de", "label_en", "versions")  # fmt: skip
    assert values_header(layout) == ("table", "column", "value", "label_uk", "label_de",
                                     "label_en", "spss_code")  # fmt: skip


def test_the_codebook_has_a_row_per_column_and_one_per_allowed_value():
    values = (("a", {"nb": "A nb", "en": "A en"}), ("b", {"en": "B en"}))
    labelled = column("q", "q", label={"nb": "Spørsmål", "en": "Question"}, versions=(2,),
                      question_type="choice", values=values)  # fmt: skip
    several = column("m", "m", values=values[:1], summary=True)  # no SPSS code: text in SPSS
    table = layouts.Table("responses", ("response_id",),
                          [column("id", versions=()), labelled, several])  # fmt: skip
    layout = layouts.Layout("q", [1, 2], [table], LANGUAGES)
    assert list(codebook_rows(layout))[:2] == [
        ("responses", "id", "", "string", "", "", "", "1 2"),
        ("responses", "q", "q", "string", "choice", "Spørsmål", "Question", "2"),
    ]  # fmt: skip
    assert list(value_rows(layout)) == [
        ("responses", "q", "a", "A nb", "A en", "1"),
        ("responses", "q", "b", "", "B en", "2"),
        ("responses", "m", "a", "A nb", "A en", ""),
    ]  # fmt: skip


def test_csv_has_a_header_and_times_as_iso_text_per_table(tmp_path):
    when = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    answers = layouts.Table("answers", ("id",), [column("id", kind=layouts.INTEGER),
                            column("at", kind=layouts.DATETIME), column("text")])  # fmt: skip
    other = layouts.Table("other", ("id",), [column("at", kind=layouts.DATETIME)])
    writer = CsvFormat(tmp_path, layouts.Layout("q", [1], [answers, other], LANGUAGES))
    writer.write("answers", {"text": "=1+1", "at": when, "id": 1})
    writer.write("answers", {"text": "plain", "at": None, "id": 2})
    writer.write("other", {"at": when})
    assert writer.close() == {"answers": "answers.csv", "other": "other.csv"}
    assert (tmp_path / "answers.csv").read_text("utf-8").splitlines() == [
        "id,at,text", "1,2025-03-01T12:30:00+00:00,'=1+1", "2,,plain",
    ]  # fmt: skip
    assert (tmp_path / "other.csv").read_text("utf-8").splitlines() == [
        "at", "2025-03-01T12:30:00+00:00",
    ]  # fmt: skip
