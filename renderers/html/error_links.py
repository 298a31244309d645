"""Error summary links: "label: message", with the entry named ("Education 2: label: ...")."""

from markupsafe import Markup

from renderers.html import fields
from renderers.html.bilingual import N_, Bilingual, Part, ui


def summary(
    built: list[fields.Field], title: Bilingual, beside, entry: Bilingual | None = None
) -> list[tuple[str, Bilingual]]:
    """Each error as a link target and "[entry: ]label: message" in each shown language."""
    links = []
    for item in built:
        label = joined(entry, item.label) if entry else item.label
        links += [(item.target, joined(label, m)) for m in item.errors]
        for number, fields_of_entry in enumerate(item.entries, 1):
            links += summary(fields_of_entry, title, beside, entry_heading(beside, title, number))
    return links


def entry_heading(beside, title: Bilingual, number: int) -> Bilingual:
    """An entry's name, as its heading says it ("Education 2")."""
    return ui(beside, N_("%(name)s %(number)s"), name=title, number=number)


def joined(label: Bilingual, message: Bilingual) -> Bilingual:
    """ "label: message" in each language."""

    def join(name: Part, text: Part) -> Part:
        return Part(Markup("{}: {}").format(name.value, text.value), text.lang, text.dir)

    second = label.second and message.second and join(label.second, message.second)
    return Bilingual(join(label.first, message.first), second)
