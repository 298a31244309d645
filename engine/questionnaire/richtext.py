"""The small formatting questionnaire and translation texts may use, and nothing else.

Texts are written by editors and translators; whatever they hold, a page, slip or PDF shows them
through `rich` (sanitised HTML, as `Markup`) or `plain` (text without tags). Allowed: <b>,
<strong>, <i>, <em>, <br> and <a href="https://..."> (given rel="noopener noreferrer").
`problems` names what else a text holds, for `kompass questionnaire check`.
`rich` is for element content only; an attribute value takes `plain` (escaped as any text).
"""

import re
from html.parser import HTMLParser

import nh3
from markupsafe import Markup

TAGS = {"b", "strong", "i", "em", "br", "a"}
ATTRIBUTES = {"a": {"href"}}
HTTPS = "https://"
_ALLOWED_TAG = re.compile(r"</?(b|strong|i|em|br|a)(\s[^<>]*)?/?>", re.IGNORECASE)
_TAG_START = re.compile(r"<[A-Za-z!/?]")
LINK_REL = "noopener noreferrer"
# Text without these characters comes out of the sanitiser unchanged (a hypothesis test holds
# it to that), so most labels and answers skip it: nh3 was a fifth of a long profile's CPU.
_NEEDS_CLEANING = re.compile("[<>&\x00\r\xa0\ud800-\udfff]")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Only an absolute https address survives as a link; relative ones are dropped too.

    Attributes reach this filter after the allowlist, so others are only the added `rel`."""
    if attribute != "href" or value.strip().lower().startswith(HTTPS):
        return value
    return None


def rich(text: object) -> Markup:
    """`text` as safe HTML: the allowed formatting kept, every other tag and attribute removed."""
    text = str(text)
    return Markup(sanitised(text) if _NEEDS_CLEANING.search(text) else text)


def sanitised(text: str) -> str:
    """`text` through the sanitiser (nh3), as `rich` gives it."""
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"https"},
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


def plain(text: object) -> str:
    """`text` without any markup, for places that hold no tags (titles, options, file names)."""
    return rich(text).striptags()


class _Finder(HTMLParser):
    """Collects every tag, attribute and comment outside the allowed formatting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(f"<{tag}>")
            return
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()):
                self.found.append(f"{name}= on <{tag}>")
            elif not (value or "").strip().lower().startswith(HTTPS):
                self.found.append(f"a link that is not https ({value})")

    def handle_endtag(self, tag: str) -> None:
        if tag not in TAGS:
            self.found.append(f"</{tag}>")

    def handle_comment(self, data: str) -> None:
        self.found.append("<!-- -->")

    def handle_decl(self, decl: str) -> None:
        self.found.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.found.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.found.append(f"<![{data}]>")


def problems(text: object) -> list[str]:
    """What `text` holds beyond the allowed formatting (removed when shown), in order."""
    finder = _Finder()
    finder.feed(str(text))
    finder.close()
    leftover = _ALLOWED_TAG.sub("", str(text))
    if not finder.found and _TAG_START.search(leftover):
        finder.found.append("an unfinished tag")
    return list(dict.fromkeys(finder.found))
