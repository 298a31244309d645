"""Lists in running text as each language writes them ("A, B and C"; Arabic «،», Ge'ez «፣»)."""

from babel.lists import format_list

from engine.definition import cldr

# The list comma of scripts whose CLDR locales may lack list patterns (Babel then fails, or
# some locales give a Latin comma).
SEPARATORS = {"Arab": "، ", "Ethi": "፣ "}
LATIN_COMMA = ", "


def join(items: list[str], tag: str) -> str:
    """`items` as one list in language `tag`: CLDR's pattern, else the script's comma."""
    if len(items) < 2:
        return "".join(items)
    locale = cldr.babel_locale(tag)
    separator = SEPARATORS.get(cldr.script(locale), LATIN_COMMA)
    try:
        joined = format_list(items, locale=locale)
    except (KeyError, ValueError):
        return separator.join(items)
    latin_commas = joined.count(LATIN_COMMA) - sum(item.count(LATIN_COMMA) for item in items)
    if separator != LATIN_COMMA and latin_commas > 0:
        return separator.join(items)
    return joined
