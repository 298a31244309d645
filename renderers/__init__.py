"""Renderers turn (questionnaire, language[s], answers) into pages, schemas and files."""
