"""The JSON API for integrations (/api/v1): a person's mapping by DUF number, the mappings changed
since a time, the PDFs; described by openapi.yaml, served as /api/v1/openapi.json."""
