"""DUF numbers: 12 digits, the first four a year; spaces are allowed when typed."""

import re

_DUF = re.compile(r"^(19|20)[0-9]{10}$")  # ASCII digits only: \d matches ٢ and ²
# Respondents may log in from an Arabic or Persian keyboard; only these two digit sets are read.
_KEYBOARD_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


class InvalidDuf(ValueError):
    """The text is not a DUF number."""


def normalise(text: str) -> str:
    """'2020 0000 0000' -> '202000000000'; raise InvalidDuf for anything else."""
    digits = "".join(text.split())
    if not _DUF.match(digits):
        raise InvalidDuf(text)
    return digits


def normalise_typed(text: str) -> str:
    """As `normalise`, but Arabic-Indic and Persian digits count as their ASCII digits."""
    try:
        return normalise(text.translate(_KEYBOARD_DIGITS))
    except InvalidDuf:
        raise InvalidDuf(text) from None
