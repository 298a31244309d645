"""Accessible horizontal bar charts as inline SVG, built on the server (no script, no fonts).

The chart is one image (`role="img"`, named by its `<title>` and `<desc>`); its numbers are in a
table beside it. A bar without a value (a suppressed cell) is drawn hatched, always the same
small length, so its length tells nothing; its text ("<5") is written after it.
"""

import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 480
VALUE_SPACE = 56
BAR_HEIGHT = 16
LINE_HEIGHT = 16
GAP = 10
HIDDEN_LENGTH = 12
WRAP = 64
COLOUR = "#0b4f8a"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: not to be shown (the length must not reveal it)
    text: str  # what is written after the bar: the number or "<5"


@dataclass(frozen=True)
class BarGroup:
    heading: str  # "" for a chart of one group
    bars: list[Bar]


def bar_chart(chart_id: str, title: str, description: str, groups: list[BarGroup]) -> Markup:
    """One SVG image; `chart_id` makes its element ids unique on the page."""
    largest = max((b.value for g in groups for b in g.bars if b.value), default=1)
    scale = (WIDTH - VALUE_SPACE) / largest
    parts, y = [], 0
    for group in groups:
        for line in textwrap.wrap(group.heading, WRAP - 8):  # bold letters are wider
            y += LINE_HEIGHT
            parts.append(_text(0, y, line, bold=True))
        y += GAP // 2 if group.heading else 0
        for bar in group.bars:
            drawn, y = _bar(bar, y, scale, chart_id)
            parts.append(drawn)
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {y}" '
        f'width="{WIDTH}" height="{y}" font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{_hatch(chart_id)}{''.join(parts)}</svg>"
    )


def _bar(bar: Bar, y: int, scale: float, chart_id: str) -> tuple[str, int]:
    """The label (wrapped), then the bar and its text; returns the markup and the next y."""
    parts = []
    for line in textwrap.wrap(bar.label, WRAP) or [""]:
        y += LINE_HEIGHT
        parts.append(_text(0, y, line))
    y += 4
    if bar.value is None:
        length, paint = HIDDEN_LENGTH, f'fill="url(#{chart_id}-hatch)" stroke="{COLOUR}"'
    else:
        length, paint = round(bar.value * scale), f'fill="{COLOUR}"'
    parts.append(f'<rect x="0" y="{y}" width="{length}" height="{BAR_HEIGHT}" {paint}/>')
    parts.append(_text(length + 6, y + BAR_HEIGHT - 3, bar.text, bold=True))
    return "".join(parts), y + BAR_HEIGHT + GAP


def _text(x: int, y: int, text: str, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x}" y="{y}"{weight} fill="#1b1b1b">{escape(text)}</text>'


def _hatch(chart_id: str) -> str:
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="2" height="6" fill="{COLOUR}"/></pattern></defs>'
    )
