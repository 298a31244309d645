"""DUF numbers: 12 digits, the first four a year; spaces are allowed when typed."""

import re

_DUF = re.compile(r"^(19|20)[0-9]{10}$")  # ASCII digits only: \d matches ٢ and ²


class InvalidDuf(ValueError):
    """The text is not a DUF number."""


def normalise(text: str) -> str:
    """'2020 0000 0000' -> '202000000000'; raise InvalidDuf for anything else."""
    digits = "".join(text.split())
    if not _DUF.match(digits):
        raise InvalidDuf(text)
    return digits
