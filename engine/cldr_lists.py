"""The CLDR lists a questionnaire version offers, captured once so a published version keeps them.

Babel's CLDR data changes with Babel upgrades; a published version must keep offering the
countries and languages (and their names) it was published with, so answers stay readable.
Where CLDR has no name in a language, the English name stands in (`fallback`); `order` is
each language's list sorted by name with that language's collation (ICU).
"""

from dataclasses import dataclass, field

from engine import cldr

COUNTRIES = "countries"
LANGUAGES = "languages"
KINDS = (COUNTRIES, LANGUAGES)
FALLBACK = "en"


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
    fallback: dict[str, dict[str, str]] = field(default_factory=dict)
    order: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def name(self, kind: str, code: str, lang: str) -> str | None:
        """The CLDR name of `code` in `lang`, or None when CLDR had none."""
        return self.names.get(lang, {}).get(kind, {}).get(code)

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
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CldrLists":
        """A captured list; bundles published before `fallback` and `order` lack them."""
        locales = {tag: Locale(**values) for tag, values in data["locales"].items()}
        return cls(
            data["codes"], data["names"], locales, data.get("fallback", {}), data.get("order", {})
        )


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
    fallback = {
        kind: _names(kind, codes[kind], extra.get(kind, set()), FALLBACK, None) for kind in KINDS
    }
    order = {
        tag: {kind: _order(names[tag][kind], fallback[kind], tag, override) for kind in KINDS}
        for tag, override in languages.items()
    }
    return CldrLists(codes, names, locales, fallback, order)


def _names(kind, codes, extra, tag, override) -> dict[str, str]:
    locale = cldr.babel_locale(tag, override)
    lookup = cldr.country_name if kind == COUNTRIES else cldr.language_name
    found = {code: lookup(code, locale) for code in [*codes, *sorted(extra)]}
    return {code: name for code, name in found.items() if name}


def _order(names: dict[str, str], fallback: dict[str, str], tag, override) -> list[str]:
    """Every named code, sorted by the name shown in `tag` with that language's collation."""
    shown = {**fallback, **names}
    key = cldr.sort_key(cldr.babel_locale(tag, override))
    return sorted(shown, key=lambda code: key(shown[code]))
