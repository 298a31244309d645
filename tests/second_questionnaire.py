"""A second, small questionnaire beside Kompass (issue 20): served, filled, exported and read at
the same time, from the same questionnaires folder and database."""

from pathlib import Path

import yaml

from engine.app.factory import create_app
from engine.versions import publishing
from tests.conftest import TEST_SETTINGS
from tests.translation_helpers import copy_tree

SECOND = "housing"
QUESTIONNAIRE = {
    "id": SECOND,
    "version": 1,
    "source_language": "en",
    "sections": [
        {
            "id": "home",
            "questions": [
                {"id": "household_size", "type": "integer", "required": True, "min": 1, "max": 20},
                {"id": "wants_city", "type": "yes_no"},
            ],
        }
    ],
}
TEXTS = {
    "en": {
        "title": "Housing wishes",
        "sections": {"home": {"title": "Your home"}},
        "questions": {
            "household_size": {"label": "How many people live in your household?"},
            "wants_city": {"label": "Do you want to live in a city?"},
        },
        "options": {"yes_no": {"yes": "Yes", "no": "No"}},
    },
    "nb": {
        "title": "Boligønsker",
        "sections": {"home": {"title": "Hjemmet ditt"}},
        "questions": {
            "household_size": {"label": "Hvor mange bor i husholdningen din?"},
            "wants_city": {"label": "Vil du bo i en by?"},
        },
        "options": {"yes_no": {"yes": "Ja", "no": "Nei"}},
    },
}


def write_second(root: Path) -> Path:
    """The second questionnaire's version 1 (English and Norwegian) under `root`."""
    version = root / SECOND / "1"
    (version / "translations").mkdir(parents=True)
    (version / "questionnaire.yaml").write_text(yaml.safe_dump(QUESTIONNAIRE), encoding="utf-8")
    for lang, texts in TEXTS.items():
        data = {"meta": {"language": lang, "machine_translated": False}, **texts}
        path = version / "translations" / f"{lang}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def two_questionnaires_app(database_url: str, tmp_path: Path):
    """An app serving Kompass (the default) and the second questionnaire, both published."""
    root = write_second(copy_tree(tmp_path))
    settings = {"DATABASE_URL": database_url, "QUESTIONNAIRES_DIR": str(root)}
    app = create_app({**TEST_SETTINGS, **settings})
    state = app.extensions["kompass"]
    with state.sessions() as session:
        for questionnaire_id in ("kompass", SECOND):
            publishing.publish_from_files(
                session, root, questionnaire_id, 1, state.registry.types, state.registry.uses
            )
    return app
