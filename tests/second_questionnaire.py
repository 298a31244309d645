"""A second, small questionnaire beside Kompass (issue 20): served, filled, exported and read at
the same time, from the same questionnaires folder and database."""

from pathlib import Path

import yaml

from engine.app.factory import create_app
from engine.versions import publishing
from tests.conftest import TEST_SETTINGS, published_copy, serving

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


def publish_both(url: str, root: Path) -> None:
    """Kompass and the second questionnaire from `root`, published into the database at `url`."""
    for app in serving(url, {**TEST_SETTINGS, "QUESTIONNAIRES_DIR": str(root)}):
        state = app.extensions["kompass"]
        with state.sessions() as session:
            for questionnaire_id in ("kompass", SECOND):
                publishing.publish_from_files(
                    session, root, questionnaire_id, 1, state.registry.types, state.registry.uses
                )


def two_questionnaires_app(two_questionnaires, directory: Path):
    """An app serving Kompass (the default) and the second questionnaire, both published: the
    run's template (the `two_questionnaires` fixture) copied for this test into `directory`
    (SQLite) or the test database (PostgreSQL), on the run's folder."""
    template, root = two_questionnaires
    url = published_copy(template, directory)
    return create_app({**TEST_SETTINGS, "DATABASE_URL": url, "QUESTIONNAIRES_DIR": str(root)})
