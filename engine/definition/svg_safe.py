"""SVG pictograms made safe: parsed with defusedxml, kept only if every element and attribute
is on an allowlist, and written out again (comments, processing instructions and DTDs gone).

An image is shown as `<img>` and served with a strict CSP, but it is checked as if it were
inlined: no scripts, no event handlers, no styles, no references to anything but `#id`.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

ELEMENTS = frozenset({
    "svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "defs",
    "use", "symbol", "title", "desc", "linearGradient", "radialGradient", "stop", "clipPath",
    "mask",
})  # fmt: skip
_PAINT = "fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin "
_PAINT += "stroke-opacity stroke-dasharray stroke-miterlimit opacity clip-rule color "
ATTRIBUTES = frozenset(
    (
        _PAINT + "id class transform d cx cy r rx ry x y x1 y1 x2 y2 width height points "
        "viewBox preserveAspectRatio version clip-path mask offset stop-color stop-opacity "
        "gradientUnits gradientTransform fx fy maskUnits clipPathUnits role aria-hidden "
        "focusable"
    ).split()
)
MAX_DEPTH = 32
HREF = {"href", f"{{{XLINK}}}href"}
_URL = re.compile(r"url\(\s*([^)]*)\)", re.IGNORECASE)


class UnsafeSvg(ValueError):
    """An SVG that is not well-formed or not allowed; `problems` names each element/attribute."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class SafeSvg:
    text: str
    """The SVG as it is stored and served: allowlisted elements and attributes only."""


def clean(data: bytes) -> SafeSvg:
    """The SVG in `data`, made safe; UnsafeSvg lists everything that is not allowed."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeSvg([f"a document type or entity ({type(exc).__name__})"]) from exc
    except ET.ParseError as exc:
        raise UnsafeSvg([f"not well-formed XML ({exc})"]) from exc
    problems = [] if root.tag == f"{{{SVG}}}svg" else [f"the root element <{_name(root.tag)}>"]
    if _depth(root) > MAX_DEPTH:
        raise UnsafeSvg([f"elements nested more than {MAX_DEPTH} levels deep"])
    for element in root.iter():
        problems += _element_problems(element)
    if problems:
        raise UnsafeSvg(problems)
    return SafeSvg(_write(root, root=True))


def _write(element: ET.Element, root: bool = False) -> str:
    """An allowlisted element as SVG text: local names, escaped values, no comments."""
    name = _name(element.tag)
    attributes = [f' xmlns="{SVG}" xmlns:xlink="{XLINK}"'] if root else []
    attributes += [f" {_name(k)}={quoteattr(v)}" for k, v in element.attrib.items()]
    inner = escape(element.text or "") + "".join(_write(child) for child in element)
    tail = escape(element.tail or "") if not root else ""
    return f"<{name}{''.join(attributes)}>{inner}</{name}>{tail}"


def _depth(root: ET.Element) -> int:
    deepest, level = 0, [(root, 1)]
    while level:
        element, depth = level.pop()
        deepest = max(deepest, depth)
        level += [(child, depth + 1) for child in element]
    return deepest


def _element_problems(element: ET.Element) -> list[str]:
    name = _name(element.tag)
    if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{SVG}}}"):
        return [f"the element <{name}> (not SVG)"]
    if name not in ELEMENTS:
        return [f"the element <{name}>"]
    problems = []
    for attribute, value in element.attrib.items():
        problem = _attribute_problem(attribute, value)
        if problem:
            problems.append(f'the attribute {_name(attribute)}="{value[:40]}" on <{name}>')
    return problems


def _attribute_problem(attribute: str, value: str) -> bool:
    if attribute in HREF:
        return not re.fullmatch(r"#[A-Za-z_][\w.-]*", value)
    if attribute not in ATTRIBUTES:
        return True
    return any(not re.fullmatch(r"['\"]?#[A-Za-z_][\w.-]*['\"]?", u) for u in _URL.findall(value))


def _name(tag: object) -> str:
    text = str(tag)
    if text.startswith(f"{{{XLINK}}}"):
        return "xlink:" + text.split("}", 1)[1]
    return text.split("}", 1)[-1]
