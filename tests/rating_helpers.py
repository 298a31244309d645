"""A copy of the Kompass questionnaire with a question of the tests' rating plugin in it."""

from pathlib import Path

from engine.app.factory import create_app
from engine.app.plugins import available_plugins
from engine.versions import publishing
from tests.conftest import TEST_SETTINGS
from tests.translation_helpers import copy_tree

RATING_PLUGIN = "tests.plugins.rating.plugin"
QUESTION = "wish_strength"
RATING = f"""      - id: {QUESTION}
        type: rating
        points: 5
"""
PICTURES = "".join(f"  options.{QUESTION}.{point}: level_{point}.svg\n" for point in range(1, 6))


def rating_tree(tmp_path: Path, question: str = RATING) -> Path:
    """The questionnaires folder with a rating in the wishes section, a picture on each point."""
    root = copy_tree(tmp_path)
    version = root / "kompass" / "1"
    source = version / "questionnaire.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("        type: note\n      - id: wished_work\n",
                        f"        type: note\n{question}      - id: wished_work\n", 1)  # fmt: skip
    text = text.replace("images:\n", f"images:\n{PICTURES}", 1)
    source.write_text(text, encoding="utf-8")
    for translation in (version / "translations").glob("*.yaml"):
        text = translation.read_text(encoding="utf-8")
        label = f"How much do you want to work? ({translation.stem})"
        label = f'questions:\n  {QUESTION}:\n    label: "{label}"\n'
        translation.write_text(text.replace("questions:\n", label, 1), encoding="utf-8")
    return root


def plugins_with_rating() -> str:
    return ",".join([*sorted(available_plugins()), RATING_PLUGIN])


def rating_app(database_url: str, root: Path):
    """An app with the rating plugin, serving `root` with version 1 published."""
    settings = {"DATABASE_URL": database_url, "QUESTIONNAIRES_DIR": str(root)}
    app = create_app({**TEST_SETTINGS, **settings, "PLUGINS": plugins_with_rating()})
    state = app.extensions["kompass"]
    with state.sessions() as session:
        publishing.publish_from_files(
            session, root, "kompass", 1, state.registry.types, state.registry.uses
        )
    return app
