"""Export filters that plugins own: what an export can be narrowed by that only a plugin knows
about the subjects (e.g. where a person lives), run by the database as a condition on the
responses' subject (`kompass_export_filters`)."""

from collections.abc import Callable
from dataclasses import dataclass

import pluggy
from sqlalchemy import ColumnElement


@dataclass(frozen=True)
class SubjectFilter:
    """One filter. `name` is the command's option (`--<name>`), the staff form's field and the
    key in the audit log's details; `help` the option's help. `label`, `everything` (no filter)
    and `refused` (a value not among the choices) are English texts that the staff UI
    translates; `choices()` the (value, label) pairs the form offers; `where(value)` the SQL
    condition on `Response.subject` that the export's query adds."""

    name: str
    help: str
    label: str
    everything: str
    refused: str
    choices: Callable[[], list[tuple[str, str]]]
    where: Callable[[str], ColumnElement[bool]]


def collect(hook: pluggy.HookRelay) -> list[SubjectFilter]:
    """Every plugin's filters, in plugin order; a name given twice stops start-up."""
    found = [f for part in hook.kompass_export_filters() for f in part]
    names = [f.name for f in found]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"export filters named twice by the plugins: {', '.join(twice)}")
    return found
