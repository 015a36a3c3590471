"""Charts as inline SVG drawn on the server: no script, no external library, readable on a phone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

# No group smaller than this is shown (k-anonymity): a cell of 1-4 people could identify someone.
K_ANONYMITY = 5


@dataclass(frozen=True)
class Series:
    rows: list[tuple[str, int]]
    # Groups left out because they had fewer than K_ANONYMITY.
    hidden: int = 0


def suppress(rows: list[tuple[str, int]], k: int = K_ANONYMITY) -> Series:
    shown = [(label, count) for label, count in rows if count >= k]
    return Series(shown, sum(1 for _, count in rows if 0 < count < k))


def bars(series: Series, title: str, unit: str, number: Callable[[int], str] = str) -> str:
    """Horizontal bars, largest first: categories such as languages or topics."""
    rows = series.rows
    if not rows:
        return ""
    width, label_w, row_h = 640, 230, 28
    top = max(c for _, c in rows)
    height = row_h * len(rows) + 8
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, count) in enumerate(rows):
        y = i * row_h + 4
        bar = max(2, int((width - label_w - 70) * count / top))
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end">{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar}" height="{row_h - 10}" fill="#1f5fbf" rx="3">'
                     f'<title>{escape(label)}: {number(count)} {escape(unit)}</title></rect>')
        parts.append(f'<text x="{label_w + bar + 6}" y="{y + 18}">{number(count)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def columns(series: Series, title: str, unit: str, number: Callable[[int], str] = str) -> str:
    """Vertical columns in time order: one per day or week."""
    rows = series.rows
    if not rows:
        return ""
    width, height, bottom, left = 640, 220, 40, 36
    top = max(c for _, c in rows)
    step = (width - left) / len(rows)
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<text x="0" y="14">{number(top)}</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#8892a0"/>']
    every = max(1, len(rows) // 8)
    for i, (label, count) in enumerate(rows):
        h = max(2, int((height - bottom - 20) * count / top))
        x = left + i * step
        parts.append(f'<rect x="{x + 1:.1f}" y="{height - bottom - h}" width="{max(step - 2, 1):.1f}" height="{h}" '
                     f'fill="#1f5fbf"><title>{escape(label)}: {number(count)} {escape(unit)}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}">{escape(label[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)
