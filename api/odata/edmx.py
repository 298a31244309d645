"""`$metadata`: the feed's tables as an EDMX 4.0 document, built from the export's layout.

One entity type per table, with the layout's columns in order, typed by their kind, labelled
with `Core.Description` in the first label language (the codebook's `label_<language>`); the
responses and each repeated group navigate to each other on `response_id`."""

from xml.etree.ElementTree import Element, SubElement, tostring

from engine.export.layout import BINARY, DATETIME, INTEGER, RESPONSES, STRING, Layout, Table

NAMESPACE = "Kompass"
CONTAINER = "Container"
EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"
CORE = "Org.OData.Core.V1"
CORE_URI = "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml"
TYPES = {INTEGER: "Edm.Int64", STRING: "Edm.String", BINARY: "Edm.Int32",
         DATETIME: "Edm.DateTimeOffset"}  # fmt: skip


def parent_link(table: Table) -> str:
    """The name of a group's navigation property to its response (`response`, unless a
    column of the group is named so)."""
    return "response" if "response" not in table.names() else "response_of_entry"


def document(layout: Layout) -> bytes:
    root = Element("edmx:Edmx", {"xmlns:edmx": EDMX, "Version": "4.0"})
    reference = SubElement(root, "edmx:Reference", Uri=CORE_URI)
    SubElement(reference, "edmx:Include", Namespace=CORE, Alias="Core")
    services = SubElement(root, "edmx:DataServices")
    schema = SubElement(services, "Schema", xmlns=EDM, Namespace=NAMESPACE)
    language = layout.languages[0]
    groups = [t for t in layout.tables if t.parent is not None]
    for table in layout.tables:
        _entity_type(schema, table, groups, language)
    container = SubElement(schema, "EntityContainer", Name=CONTAINER)
    for table in layout.tables:
        found = SubElement(container, "EntitySet", Name=table.name,
                           EntityType=f"{NAMESPACE}.{table.name}")  # fmt: skip
        for path, target in _links(table, groups):
            SubElement(found, "NavigationPropertyBinding", Path=path, Target=target)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _entity_type(schema: Element, table: Table, groups: list[Table], language: str) -> None:
    entity = SubElement(schema, "EntityType", Name=table.name)
    _describe(entity, table.label, language)
    key = SubElement(entity, "Key")
    for name in table.key:
        SubElement(key, "PropertyRef", Name=name)
    for column in table.columns:
        nullable = "false" if column.name in table.key else "true"
        found = SubElement(
            entity,
            "Property",
            Name=column.name,
            Type=TYPES.get(column.kind, "Edm.String"),
            Nullable=nullable,
        )
        _describe(found, column.label, language)
    if table.parent is None:
        for group in groups:
            SubElement(entity, "NavigationProperty", Name=group.name,
                       Type=f"Collection({NAMESPACE}.{group.name})",
                       Partner=parent_link(group))  # fmt: skip
        return
    link = SubElement(
        entity,
        "NavigationProperty",
        Name=parent_link(table),
        Type=f"{NAMESPACE}.{RESPONSES}",
        Nullable="false",
        Partner=table.name,
    )
    SubElement(link, "ReferentialConstraint", Property="response_id",
               ReferencedProperty="response_id")  # fmt: skip


def _links(table: Table, groups: list[Table]) -> list[tuple[str, str]]:
    if table.parent is None:
        return [(group.name, group.name) for group in groups]
    return [(parent_link(table), RESPONSES)]


def _describe(element: Element, label: dict[str, str], language: str) -> None:
    text = label.get(language) or next(iter(label.values()), "")
    if text:
        SubElement(element, "Annotation", Term="Core.Description", String=text)
