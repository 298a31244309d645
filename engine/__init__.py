"""Kompass engine: a generic, schema-driven questionnaire engine."""
