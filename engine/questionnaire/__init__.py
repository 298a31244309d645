"""The engine's the loaded questionnaire and what it computes for a version."""
