"""A small, valid questionnaire tree written to a temporary folder; tests then break it."""

from pathlib import Path

import yaml

QUESTIONNAIRE = {
    "id": "sample",
    "version": 1,
    "source_language": "en",
    "codelists": ["level"],
    "option_lists": {"status": ["done", "ongoing"]},
    "sections": [
        {
            "id": "about",
            "questions": [
                {"id": "country", "type": "country", "required": True},
                {"id": "has_job", "type": "yes_no"},
                {"id": "job", "type": "text", "visible_if": "has_job == 'yes'"},
                {
                    "id": "courses",
                    "type": "group",
                    "questions": [
                        {"id": "level", "type": "single_choice", "options": "level"},
                        {"id": "status", "type": "single_choice", "options": "status"},
                        {"id": "start", "type": "year"},
                        {
                            "id": "end",
                            "type": "year",
                            "visible_if": "status != 'ongoing'",
                            "constraints": [{"check": "end >= start", "message": "end_early"}],
                        },
                    ],
                },
            ],
        },
        {
            "id": "staff",
            "audience": "staff",
            "questions": [{"id": "remarks", "type": "long_text"}],
        },
    ],
}

ENGLISH = {
    "meta": {"language": "en", "machine_translated": False},
    "title": "Sample",
    "sections": {"about": {"title": "About you"}, "staff": {"title": "Staff"}},
    "questions": {
        "country": {"label": "Country"},
        "has_job": {"label": "Do you have a job?"},
        "job": {"label": "Which job?"},
        "courses": {"label": "Courses"},
        "level": {"label": "Level"},
        "status": {"label": "Status"},
        "start": {"label": "Start"},
        "end": {"label": "End"},
        "remarks": {"label": "Remarks"},
    },
    "options": {
        "yes_no": {"yes": "Yes", "no": "No"},
        "status": {"done": "Done", "ongoing": "Ongoing"},
    },
    "messages": {"end_early": "The end is before the start."},
}

CODELIST = {"id": "level", "source": "test", "values": ["1", "2"]}
CODELIST_EN = {
    "meta": {"language": "en", "machine_translated": False},
    "level": {"1": "One", "2": "Two"},
}


def write(root: Path, questionnaire=None, english=None, extra_files=None) -> Path:
    """Write the tree under `root`; `extra_files` maps relative paths to data or raw text."""
    files = {
        "sample/1/questionnaire.yaml": questionnaire or QUESTIONNAIRE,
        "sample/1/translations/en.yaml": english or ENGLISH,
        "codelists/level.yaml": CODELIST,
        "codelists/translations/en.yaml": CODELIST_EN,
        **(extra_files or {}),
    }
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
    return root
