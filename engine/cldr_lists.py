"""The CLDR lists a questionnaire version offers, captured once so a published version keeps them.

Babel's CLDR data changes with Babel upgrades; a published version must keep offering the
countries and languages (and their names) it was published with, so answers stay readable.
"""

from dataclasses import dataclass, field

from engine import cldr

COUNTRIES = "countries"
LANGUAGES = "languages"
KINDS = (COUNTRIES, LANGUAGES)


@dataclass(frozen=True)
class Locale:
    """How one offered language is shown: own name, direction, CLDR locale."""

    name: str
    dir: str
    locale: str


@dataclass
class CldrLists:
    codes: dict[str, list[str]]
    names: dict[str, dict[str, dict[str, str]]]
    locales: dict[str, Locale] = field(default_factory=dict)

    def name(self, kind: str, code: str, lang: str) -> str | None:
        """The CLDR name of `code` in `lang`, or None when CLDR had none."""
        return self.names.get(lang, {}).get(kind, {}).get(code)

    def to_dict(self) -> dict:
        return {
            "codes": self.codes,
            "names": self.names,
            "locales": {tag: vars(locale) for tag, locale in self.locales.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CldrLists":
        locales = {tag: Locale(**values) for tag, values in data["locales"].items()}
        return cls(data["codes"], data["names"], locales)


def capture(languages: dict[str, str | None], extra: dict[str, set[str]]) -> CldrLists:
    """Today's CLDR lists for `languages` ({tag: cldr_locale override}).

    `extra` holds values a questionnaire adds to a list (e.g. 'fa-AF'); they are named too
    where CLDR knows them.
    """
    codes = {COUNTRIES: list(cldr.country_codes()), LANGUAGES: list(cldr.language_codes())}
    names = {
        tag: {kind: _names(kind, codes[kind], extra.get(kind, set()), tag, override)
              for kind in KINDS}
        for tag, override in languages.items()
    }  # fmt: skip
    locales = {
        tag: Locale(
            name=cldr.endonym(tag, override),
            dir=cldr.direction(tag, override),
            locale=str(cldr.babel_locale(tag, override)),
        )
        for tag, override in languages.items()
    }
    return CldrLists(codes, names, locales)


def _names(kind, codes, extra, tag, override) -> dict[str, str]:
    locale = cldr.babel_locale(tag, override)
    lookup = cldr.country_name if kind == COUNTRIES else cldr.language_name
    found = {code: lookup(code, locale) for code in [*codes, *sorted(extra)]}
    return {code: name for code, name in found.items() if name}
