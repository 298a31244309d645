"""Integrations: personal API tokens, the analysts' OData feed and the JSON API (docs/api.md)."""
