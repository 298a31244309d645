"""Names that fit a file format's limits and stay unique, compared case-insensitively."""


def unique_name(name: str, taken: set[str], limit: int) -> str:
    """`name` cut to `limit` characters, with a number added if it is taken; then taken."""
    candidate, number = name[:limit], 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f"_{number}"
        candidate = name[: limit - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate
