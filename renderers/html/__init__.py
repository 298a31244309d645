"""The respondent's HTML journey: language, sections, review, submit, receipt."""
