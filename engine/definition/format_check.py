"""Whether a translation formats as its source does: the same placeholders (`%(name)s`, `%s`,
`{name}`), no stray `%` where the source text is %-formatted (as Jinja's gettext always does
with interface strings), and balanced braces where the source uses `{name}`. Used by the
import, by `check` and when a catalogue is compiled, so a broken string never reaches a page.

Questionnaire texts (YAML) are never %-formatted, so for them (`formatted=False`) a `%` is
just a character: only named placeholders and braces are compared."""

import re
import string

NAMED = re.compile(r"%\((\w+)\)")
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def problem(source: str, translation: str, formatted: bool = True) -> str | None:
    """Why `translation` would not format like `source`, or None when it would."""
    names = percent_names if formatted else named
    wanted, found = names(source), names(translation)
    if wanted != found:
        return f"the placeholders differ: {_shown(wanted)} in the source, {_shown(found)} here"
    values = _values(wanted)
    if formatted and _formats(source, values) and not _formats(translation, values):
        return "a % that is not a placeholder (write %% for a percent sign)"
    fields = brace_fields(source)
    if fields:
        there = brace_fields(translation)
        if there is None:
            return "unbalanced braces { } (write {{ or }} for a literal brace)"
        if there != fields:
            return f"the placeholders differ: {_shown(fields)} in the source, {_shown(there)} here"
    return None


def percent_names(text: str) -> list[str]:
    """The %-placeholders, in order (a positional one as "%s")."""
    return sorted(name or "%s" for name in _placeholders(text))


def named(text: str) -> list[str]:
    return sorted(f"%({name})" for name in NAMED.findall(text))


def _placeholders(text: str) -> list[str]:
    return [m.group(1) or "" for m in PERCENT.finditer(text) if m.group(0) != "%%"]


def brace_fields(text: str) -> list[str] | None:
    """The {name} fields in order; None when the braces do not balance."""
    try:
        return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    except ValueError:
        return None


def _values(names: list[str]) -> dict | tuple:
    positional = names.count("%s")
    if positional:
        return ("x",) * positional
    return {name: "x" for name in names}


def _formats(text: str, values: dict | tuple) -> bool:
    try:
        text % values
    except (ValueError, TypeError, KeyError, IndexError):
        return False
    return True


def _shown(names: list[str]) -> str:
    return " ".join(names) or "none"
