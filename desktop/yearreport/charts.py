"""Bar charts of the report as SVG text (Qt-free), placed in the printed HTML as
``data:image/svg+xml`` images the way the beat summary places its map
(``desktop.beats.summary``); Qt's SVG renderer draws them at the printer's resolution.

Text from data is XML-escaped; the font is the shipped DejaVu Sans.
"""
from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "DejaVu Sans"
COLORS = ("#2f6db5", "#b0b0b0", "#d9822b", "#4c9a2a")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]
    color: str = COLORS[0]


def _nice_top(value: int) -> tuple[int, int]:
    """An axis maximum at or above ``value`` and its step (1, 2 or 5 × 10^n, 4–5 steps)."""
    if value <= 0:
        return 5, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 5, 10):
        step = max(1, int(mult * power))
        if step * 5 >= value:
            return step * math.ceil(value / step), step
    step = int(10 * power)
    return step * math.ceil(value / step), step


def column_chart(title: str, labels: Sequence[str], series: Sequence[Series],
                 width: int = 1000, height: int = 420) -> str:
    """Vertical bars, one group per label, one bar per series; values over the bars, a
    legend when there are several series."""
    left, right, top, bottom = 60, 16, 52, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for s in series for v in s.values), default=0)
    axis_top, step = _nice_top(peak)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{width / 2:.0f}" y="24" font-size="20" font-weight="bold" '
           f'text-anchor="middle">{escape(title)}</text>']
    for tick in range(0, axis_top + 1, step):
        y = top + plot_h - plot_h * tick / axis_top
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   f'stroke="#dddddd" stroke-width="1"/>')
        out.append(f'<text x="{left - 8}" y="{y + 5:.1f}" font-size="14" '
                   f'text-anchor="end">{tick}</text>')
    groups = max(1, len(labels))
    slot = plot_w / groups
    bar = slot * 0.78 / max(1, len(series))
    for i, text in enumerate(labels):
        x0 = left + i * slot + slot * 0.11
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else 0
            h = plot_h * value / axis_top
            x = x0 + j * bar
            out.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                       f'height="{h:.1f}" fill="{s.color}"/>')
            if bar >= 14:
                out.append(f'<text x="{x + bar / 2 - 1:.1f}" y="{top + plot_h - h - 4:.1f}" '
                           f'font-size="{13 if bar >= 24 else 11}" '
                           f'text-anchor="middle">{value}</text>')
        out.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{top + plot_h + 20}" '
                   f'font-size="14" text-anchor="middle">{escape(text)}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
               f'y2="{top + plot_h}" stroke="#333333" stroke-width="1.5"/>')
    if len(series) > 1:
        x = left
        for s in series:
            out.append(f'<rect x="{x}" y="{height - 22}" width="16" height="16" '
                       f'fill="{s.color}"/>')
            out.append(f'<text x="{x + 22}" y="{height - 9}" font-size="14">'
                       f'{escape(s.name)}</text>')
            x += 30 + 9 * len(s.name)
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(title: str, items: Sequence[tuple[str, int]], width: int = 1000,
              row: int = 34) -> str:
    """Horizontal bars, one per item (label on the left, value at the bar's end)."""
    label_w, right, top = 480, 60, 44
    height = top + row * max(1, len(items)) + 12
    plot_w = width - label_w - right
    peak = max((v for _, v in items), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{width / 2:.0f}" y="24" font-size="20" font-weight="bold" '
           f'text-anchor="middle">{escape(title)}</text>']
    for i, (text, value) in enumerate(items):
        y = top + i * row
        w = plot_w * value / peak
        short = text if len(text) <= 52 else text[:51] + "…"
        out.append(f'<text x="{label_w - 10}" y="{y + row * 0.62:.1f}" font-size="15" '
                   f'text-anchor="end">{escape(short)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" '
                   f'fill="{COLORS[0]}"/>')
        out.append(f'<text x="{label_w + w + 6:.1f}" y="{y + row * 0.62:.1f}" '
                   f'font-size="15">{value}</text>')
    out.append(f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - 12}" '
               f'stroke="#333333" stroke-width="1.5"/>')
    out.append("</svg>")
    return "\n".join(out)


def image_html(svg: str, width_px: int) -> str:
    """An ``<img>`` of the SVG at ``width_px`` on the page (height kept in proportion)."""
    import re

    m = re.search(r'width="(\d+)" height="(\d+)"', svg)
    w, h = (int(m.group(1)), int(m.group(2))) if m else (1000, 420)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f"<p align='center'><img src='data:image/svg+xml;base64,{data}' "
            f"width='{width_px}' height='{round(width_px * h / w)}'></p>")
