"""The analysts' OData v4 feed: one service per questionnaire and version (or all versions),
with the export's tables, columns and pseudonymisation (docs/api.md, "OData feed")."""
