"""The engine knows no place, country or language of the deployment (issue 20): no Python source
under engine/ names a municipality, county, DUF number, Norway or Oslo, or the languages
Bokmål and Nynorsk, in a string constant (docstrings too), an identifier or a comment. Such
facts come from settings (`TIME_ZONE`, `LABEL_LANGUAGES`) or from plugins through hooks
(`kompass_export_columns`, `kompass_export_filters`).

Words are compared whole, after splitting identifiers at `_` and case changes ("OSLO",
"subject_filters", "DufNumber"); a prefix catches inflections ("municipalities", "kommuner").
English ("en") is not listed: it is the engine's own language (its texts, CLDR's fallback),
not the deployment's; neither is "no", which the engine uses as the answer beside "yes".
"""

import ast
import io
import re
import tokenize

from engine.app.config import PROJECT_ROOT

ENGINE = PROJECT_ROOT / "engine"
PREFIXES = ("municipal", "kommun", "fylke", "norw", "norge", "norsk", "nynorsk", "bokm",
            "bosatt", "bosett", "mottak", "kartlegg")  # fmt: skip
WORDS = {
    "county", "counties", "duf", "oslo", "bergen", "ssb", "imdi", "udi",
    "nb", "nn", "nob", "nno",  # Bokmål and Nynorsk as language tags
    "og", "ikke", "eller", "med", "gjennom", "svar", "skjema",  # Norwegian text
}  # fmt: skip
LETTERS = set("æøåÆØÅ")
# The deployment's values of the settings the engine reads them from are its defaults.
ALLOWED = {("engine/app/config.py", "Europe/Oslo"), ("engine/app/config.py", "nb,en")}


def named(text: str) -> str | None:
    """The domain word `text` holds, if any."""
    if LETTERS & set(text):
        return "a Norwegian letter"
    for word in re.findall(r"[^\W\d_]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text)):
        if word.lower() in WORDS or word.lower().startswith(PREFIXES):
            return word
    return None


def findings(source: str, place: str) -> list[tuple[str, str]]:
    """(place:line, what) of every string constant, identifier or comment naming a domain word,
    except the allowed ones."""
    texts = [(n.lineno, "string", n.value) for n in ast.walk(ast.parse(source))
             if isinstance(n, ast.Constant) and isinstance(n.value, str)]  # fmt: skip
    texts += [
        (token.start[0], tokenize.tok_name[token.type].lower(), token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type in (tokenize.NAME, tokenize.COMMENT)
    ]
    return sorted(
        (f"{place}:{line}", f"{kind} {text[:60]!r} names {word!r}")
        for line, kind, text in texts
        if (word := named(text)) and (place, text) not in ALLOWED
    )


def test_no_engine_source_names_a_domain_fact():
    sources = sorted(ENGINE.rglob("*.py"))
    found = [
        f"{place}: {what}"
        for path in sources
        for place, what in findings(path.read_text("utf-8"), str(path.relative_to(PROJECT_ROOT)))
    ]
    assert len(sources) > 100 and (ENGINE / "export" / "rows.py") in sources
    assert not found, "domain facts in engine/ (issue 20):\n" + "\n".join(found)


def test_the_allowed_defaults_are_still_where_they_are_allowed():
    config = (ENGINE / "app" / "config.py").read_text("utf-8")
    assert all(f'"{value}"' in config for _, value in ALLOWED)


def test_a_planted_domain_fact_is_found_with_its_line():
    planted = '''"""Dates in Norwegian time."""
OSLO = ZoneInfo("Europe/Oslo")
label = {"nb": "Svar-ID", "en": "Response id"}
subject_filters = {"municipality": value}  # by DUF number
text = "Gått gjennom"
'''
    assert [place for place, _ in findings(planted, "x.py")] == [
        "x.py:1", "x.py:2", "x.py:2", "x.py:3", "x.py:3", "x.py:4", "x.py:4", "x.py:5",
    ]  # fmt: skip
    assert findings('default = "Europe/Oslo"', "engine/app/config.py") == []
    assert findings('zone = "Europe/Oslo"', "engine/other.py") != []
    assert findings('answer = "no"; lang = "en"; counts = len(x)  # count', "x.py") == []
