"""Text as each language writes it: list separators, French spacing, dates, the current language."""

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from flask import g
from flask_babel import force_locale

from auth.code_login import slip
from engine.app.config import PROJECT_ROOT
from engine.definition.yamlsource import read_yaml
from engine.questionnaire.text_lists import join
from engine.translation.texts import flatten
from renderers.html import views
from tests.helpers import log_in, make_code, post_section

pytestmark = pytest.mark.database_incidental

ROOT = Path(PROJECT_ROOT / "questionnaires")
FRENCH_SPACES = "\u00a0\u202f"  # no-break space, narrow no-break space


def test_lists_use_the_language_separator():
    assert join(["A", "B", "C"], "am") == "A፣ B እና C"
    assert join(["A", "B", "C"], "ckb") == "A، B، C"  # CLDR gives a Latin comma: the script's
    assert "،" in join(["A", "B", "C"], "fa") and "،" in join(["A", "B", "C"], "ps")
    assert join(["A", "B", "C"], "uk") == "A, B і C"
    for lang in ("ar", "fa", "fa-AF", "ps", "ckb", "ti", "am"):
        assert ", " not in join(["A", "B", "C"], lang), lang
    assert join(["A, x", "B"], "ckb") == "A, x، B"  # a comma inside an item is no separator
    assert join(["A"], "ar") == "A"


def test_the_review_page_joins_choices_in_the_page_language(client, runner):
    log_in(client, make_code(runner), lang="am")
    devices = {"q.devices": ["smartphone", "computer", "tablet"]}
    assert post_section(client, "am", "digital", devices).status_code in (200, 302)
    review = client.get("/am/form/review").text
    assert "ስማርት ስልክ፣ ኮምፒውተር (ዴስክቶፕ ወይም ላፕቶፕ) እና ታብሌት (ለምሳሌ iPad)" in review


def french_texts() -> list[str]:
    with open(ROOT / "interface" / "fr.po", "rb") as file:
        catalogue = read_po(file)
    texts = [message.string for message in catalogue if message.id and message.string]
    source = read_yaml(ROOT / "kompass" / "1" / "translations" / "fr.yaml").data
    texts += [v for k, v in flatten(source).items() if k[0] != "meta" and isinstance(v, str)]
    return texts


def test_french_puts_a_no_break_space_before_high_punctuation():
    texts = french_texts()
    assert "Erreur\u00a0:" in texts
    assert any(text.endswith("arrêté\u00a0?") for text in texts)
    for text in texts:
        for match in re.finditer(r"(.?)([?!:;])(?=\s|$)", text):
            assert match.group(1) in FRENCH_SPACES, text


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("uk", "6 груд. 2026\u202fр., 05:30"),
        ("nb", "6. des. 2026, 05:30"),
        ("am", "6 ዲሴም 2026 5:30"),
    ],
)
def test_the_receipt_time_is_written_as_the_language_writes_dates(app, locale, written):
    with app.test_request_context():
        g.language = SimpleNamespace(locale=locale)
        assert views._oslo_time("2026-12-06T04:30:00+00:00").startswith(written)


def test_the_language_switcher_marks_the_current_language_and_the_header_says_where_it_goes(
    client, runner
):
    log_in(client, make_code(runner), lang="uk")
    page = client.get("/uk/form/personal").text
    assert 'aria-current="true"><strong>Українська</strong></a>' in page
    assert "<strong>العربية</strong>" not in page and 'aria-current="true"' in page
    assert re.search(r'class="restart"[^>]*>Перейти на початкову сторінку</a>', page)


def test_the_code_slip_writes_the_expiry_as_each_language_does(app):
    expiry = datetime(2026, 12, 6, 4, 30, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("uk"):
            assert "6 груд. 2026\u202fр., 05:30" in slip.texts("x", expiry)["valid"]
        with force_locale("nb"):
            assert "6. des. 2026, 05:30" in slip.texts("x", expiry)["valid"]
