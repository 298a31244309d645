"""The feed's `$metadata` is well-formed EDMX 4.0 and lists exactly the export's tables and
columns, in the codebook's order, typed by kind and labelled in the first label language."""

from defusedxml import ElementTree

from api.odata.edmx import TYPES
from tests.odata_helpers import bearer, feed_token, seed, staff_export

EDMX = "{http://docs.oasis-open.org/odata/ns/edmx}"
EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
GROUPS = ("education", "other_languages", "jobs")


def metadata(app, text: str, root: str = "/odata/kompass/v1/"):
    answer = app.test_client().get(f"{root}$metadata", headers=bearer(text))
    assert answer.status_code == 200 and answer.mimetype == "application/xml"
    document = ElementTree.fromstring(answer.data)
    assert document.tag == f"{EDMX}Edmx" and document.get("Version") == "4.0"
    (schema,) = document.iter(f"{EDM}Schema")
    return schema


def described(element) -> str | None:
    found = element.find(f"{EDM}Annotation[@Term='Core.Description']")
    return None if found is None else found.get("String")


def assert_codebook(schema, codebook: list[dict]) -> None:
    types = {t.get("Name"): t for t in schema.iter(f"{EDM}EntityType")}
    assert list(types) == list(dict.fromkeys(row["table"] for row in codebook))
    for name, entity in types.items():
        rows = [row for row in codebook if row["table"] == name]
        properties = entity.findall(f"{EDM}Property")
        assert [p.get("Name") for p in properties] == [row["column"] for row in rows], name
        for prop, row in zip(properties, rows, strict=True):
            assert prop.get("Type") == TYPES[row["type"]], (name, row["column"])
            assert described(prop) == row["label_nb"], (name, row["column"])


def test_metadata_lists_exactly_the_exports_columns_with_types_and_labels(app):
    seed(app, 10)
    text = feed_token(app, "ana", ["analytiker"])
    schema = metadata(app, text)
    assert_codebook(schema, staff_export(app, "ana")["codebook"])
    root = feed_token(app, "root", ["systemadmin"])
    identifiable = metadata(app, root, "/odata/kompass/v1/identifiable/")
    assert_codebook(identifiable, staff_export(app, "root", identifiable="1")["codebook"])


def test_responses_and_groups_navigate_to_each_other_on_response_id(app):
    text = feed_token(app, "ana", ["analytiker"])
    schema = metadata(app, text)
    types = {t.get("Name"): t for t in schema.iter(f"{EDM}EntityType")}
    keys = {n: [r.get("Name") for r in t.iter(f"{EDM}PropertyRef")] for n, t in types.items()}
    assert keys == {"responses": ["response_id"]} | {g: ["response_id", "entry_id"] for g in GROUPS}
    links = {n.get("Name"): n for n in types["responses"].findall(f"{EDM}NavigationProperty")}
    assert {name: n.get("Type") for name, n in links.items()} == {
        g: f"Collection(Kompass.{g})" for g in GROUPS
    }
    for group in GROUPS:
        (back,) = types[group].findall(f"{EDM}NavigationProperty")
        assert (back.get("Name"), back.get("Type")) == ("response", "Kompass.responses")
        (constraint,) = back.findall(f"{EDM}ReferentialConstraint")
        assert constraint.get("Property") == constraint.get("ReferencedProperty") == "response_id"
        assert described(types[group])  # the group's label
    (container,) = schema.iter(f"{EDM}EntityContainer")
    sets = {s.get("Name"): s.get("EntityType") for s in container.findall(f"{EDM}EntitySet")}
    assert sets == {n: f"Kompass.{n}" for n in ("responses", *GROUPS)}
