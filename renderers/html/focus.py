"""Where the focus goes after a save: the first question it revealed, a new entry's heading, or
the group's heading after a removal (with a status message saying which entry went).

"Add" and "Remove" redirect to the section with a URL fragment; a one-shot session mark tells
the next page which heading gets `autofocus`, so it works without JavaScript.
"""

from flask import redirect, session, url_for

from engine.responses.entries import ENTRY_ID
from renderers.html import fields
from renderers.html.bilingual import N_, Bilingual, ui
from renderers.html.error_links import entry_heading
from renderers.html.formdata import field_name

MOVED_KEY = "entry_moved"


def entry_ids(answers: dict, action: str) -> list[str]:
    """The entry ids of the group an add or remove `action` names (none for other actions)."""
    verb, _, rest = action.partition(":")
    entries = answers.get(rest.partition(":")[0]) if verb in ("add", "remove") else None
    if not isinstance(entries, list):  # no group: another action, or a question with one answer
        return []
    return [str(e.get(ENTRY_ID, "")) for e in entries if isinstance(e, dict)]


def after_entry_action(section_id: str, action: str, before: list[str], after: list[str], to=None):
    """Back to the section (or the page `to(_anchor=...)` makes, marked `section_id`), the focus
    on the new entry's heading, or after a removal on the group's heading with a status message.
    """
    verb, _, rest = action.partition(":")
    group_id, _, entry_id = rest.partition(":")
    anchor = field_name((group_id,)).replace(".", "-")
    moved = {"section": section_id, "target": f"{anchor}-title"}
    if verb == "add":
        moved["target"] = f"{anchor}-{len(after) - 1}-title"
    elif entry_id in before:
        moved["removed"] = before.index(entry_id) + 1
    session[MOVED_KEY] = moved
    if to is not None:
        return redirect(to(_anchor=moved["target"]))
    return redirect(url_for("respondent.section", section_id=section_id, _anchor=moved["target"]))


def moved_here(section_id: str) -> dict | None:
    """The mark an add or remove left for this section's page (once)."""
    moved = session.pop(MOVED_KEY, None)
    return moved if moved and moved.get("section") == section_id else None


def first_of(built: list[fields.Field], ids: set[str]) -> bool:
    """Give the focus to the first shown field whose question is one of `ids`."""
    for item in built:
        if item.question.id in ids and not item.hidden:
            item.focus = item.target
            return True
        if any(first_of(entry, ids) for entry in item.entries):
            return True
    return False


def heading(built: list[fields.Field], element_id: str) -> None:
    """Give the focus to a group's heading or one of its entries' headings."""
    for item in built:
        if item.widget == "group" and element_id.startswith(f"{item.anchor}-"):
            item.focus = element_id


def removed_notice(beside, title: Bilingual, number: int) -> Bilingual:
    """ "Education 2 removed", in the page's language and beside it."""
    return ui(beside, N_("%(entry)s removed"), entry=entry_heading(beside, title, number))
