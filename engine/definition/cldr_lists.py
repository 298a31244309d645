"""The CLDR lists a questionnaire version offers, captured once so a published version keeps them.

Babel's CLDR data changes with Babel upgrades; a published version must keep offering the
countries and languages (and their names) it was published with, so answers stay readable.
Where CLDR has no name in a language, the name's own language stands in (`own`: a language's
endonym, a country's name in its official language; a translation file's `meta.name` wins),
else the English one (`fallback`), which lists in another script leave out; `order` is each
language's list sorted by name with that language's collation (ICU).
"""

from collections import Counter
from dataclasses import dataclass, field

from engine.definition import cldr

COUNTRIES = "countries"
LANGUAGES = "languages"
KINDS = (COUNTRIES, LANGUAGES)
FALLBACK = "en"
LATIN = "Latn"
# Scripts an own name may be shown in: those the shipped fonts (or every system) render.
SHOWN_SCRIPTS = frozenset({LATIN, "Arab", "Cyrl", "Ethi", "Grek"})


@dataclass(frozen=True)
class Locale:
    """How one offered language is shown: own name, direction, CLDR locale."""

    name: str
    dir: str
    locale: str
    script: str = "Latn"


@dataclass
class CldrLists:
    codes: dict[str, list[str]]
    names: dict[str, dict[str, dict[str, str]]]
    locales: dict[str, Locale] = field(default_factory=dict)
    fallback: dict[str, dict[str, str]] = field(default_factory=dict)
    order: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    own: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def name(self, kind: str, code: str, lang: str) -> str | None:
        """The CLDR name of `code` in `lang`, or None when CLDR had none."""
        return self.names.get(lang, {}).get(kind, {}).get(code)

    def own_name(self, kind: str, code: str) -> tuple[str, str] | None:
        """(the name of `code` in its own language, that language's tag), if CLDR had one."""
        found = self.own.get(kind, {}).get(code)
        return (found[0], found[1]) if found else None

    def latin(self, lang: str) -> bool:
        """Whether `lang` is written in Latin script (its lists may show English names)."""
        locale = self.locales.get(lang)
        return locale is None or locale.script == LATIN

    def english_name(self, kind: str, code: str) -> str | None:
        """The English name that stands in where a language has none."""
        return self.fallback.get(kind, {}).get(code)

    def to_dict(self) -> dict:
        return {
            "codes": self.codes,
            "names": self.names,
            "locales": {tag: vars(locale) for tag, locale in self.locales.items()},
            "fallback": self.fallback,
            "order": self.order,
            "own": self.own,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CldrLists":
        """A captured list; older bundles lack `fallback`, `order`, `own` and scripts."""
        locales = {tag: Locale(**values) for tag, values in data["locales"].items()}
        optional = (data.get(key, {}) for key in ("fallback", "order", "own"))
        return cls(data["codes"], data["names"], locales, *optional)


def capture(
    languages: dict[str, str | None],
    extra: dict[str, set[str]],
    own_names: dict[str, str] | None = None,
    supplied: dict[str, dict[str, dict[str, str]]] | None = None,
) -> CldrLists:
    """Today's CLDR lists for `languages` ({tag: cldr_locale override}).

    `extra` holds values a questionnaire adds to a list (e.g. 'fa-AF'); they are named too
    where CLDR knows them. `own_names` are the translation files' names of their languages
    ({tag: endonym}): each names its language in its own list and stands in elsewhere;
    `supplied` ({tag: {kind: {code: name}}}) are their names where CLDR has none.
    """
    own_names = own_names or {}
    codes = {COUNTRIES: list(cldr.country_codes()), LANGUAGES: list(cldr.language_codes())}
    names = {
        tag: {kind: _names(kind, codes[kind], extra.get(kind, set()), tag, override)
              for kind in KINDS}
        for tag, override in languages.items()
    }  # fmt: skip
    for tag, kinds in (supplied or {}).items():
        for kind, found in kinds.items():
            known = {*codes[kind], *extra.get(kind, set())}
            names[tag][kind] |= {code: name for code, name in found.items() if code in known}
    for tag, own_name in own_names.items():
        names.setdefault(tag, {COUNTRIES: {}, LANGUAGES: {}})[LANGUAGES][tag] = own_name
    own = _own(codes, extra, own_names)
    locales = {
        tag: Locale(
            name=cldr.endonym(tag, override),
            dir=cldr.direction(tag, override),
            locale=str(cldr.babel_locale(tag, override)),
            script=cldr.script(cldr.babel_locale(tag, override)),
        )
        for tag, override in languages.items()
    }
    fallback = {
        kind: _names(kind, codes[kind], extra.get(kind, set()), FALLBACK, None) for kind in KINDS
    }
    order = {
        tag: {kind: _order(names[tag][kind], own[kind], fallback[kind], tag, override)
              for kind in KINDS}
        for tag, override in languages.items()
    }  # fmt: skip
    return CldrLists(codes, names, locales, fallback, order, own)


def _own(codes, extra, own_names: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """Each code's name in its own language, with that language: [name, tag]."""
    languages = {}
    for code in [*codes[LANGUAGES], *sorted(extra.get(LANGUAGES, set()))]:
        name = own_names.get(code) or cldr.own_language_name(code)
        if name and cldr.text_script(name) in SHOWN_SCRIPTS:
            languages[code] = [name, code]
    countries = {}
    for code in [*codes[COUNTRIES], *sorted(extra.get(COUNTRIES, set()))]:
        found = cldr.own_country_name(code)
        if found and cldr.text_script(found[0]) in SHOWN_SCRIPTS:
            countries[code] = list(found)
    return {COUNTRIES: _unique(countries), LANGUAGES: _unique(languages)}


def _unique(own: dict[str, list[str]]) -> dict[str, list[str]]:
    """Own names two codes share (IsiNdebele for nd and nr) tell them apart for no one."""
    seen = Counter(name.casefold() for name, _ in own.values())
    return {code: found for code, found in own.items() if seen[found[0].casefold()] == 1}


def _names(kind, codes, extra, tag, override) -> dict[str, str]:
    """CLDR's names in `tag`; in a locale of another script, Latin ones are place-holders."""
    locale = cldr.babel_locale(tag, override)
    lookup = cldr.country_name if kind == COUNTRIES else cldr.language_name
    found = {code: lookup(code, locale) for code in [*codes, *sorted(extra)]}
    latin_ok = cldr.script(locale) == LATIN
    return {
        code: name
        for code, name in found.items()
        if name and (latin_ok or cldr.text_script(name) != LATIN)
    }


def _order(names: dict[str, str], own: dict, fallback: dict[str, str], tag, override) -> list[str]:
    """Every named code, sorted by the name shown in `tag` with that language's collation."""
    shown = {**fallback, **{code: found[0] for code, found in own.items()}, **names}
    locale = cldr.babel_locale(tag, override)
    key, script = cldr.sort_key(locale), cldr.script(locale)

    def in_order(code: str) -> tuple:
        """Names in the list's own script first, then the others, each by collation."""
        return (cldr.text_script(shown[code]) != script, key(shown[code]))

    return sorted(shown, key=in_order)
