"""A printable referral poster (A4): Puente, the organization, a QR code of its referral link
(segno), where to write without scanning, and one line per language. Laid out once in points,
then drawn as a PNG (Pillow) or a PDF (reportlab, the QR as vector squares). Both use the
Bitstream Vera font shipped inside reportlab, which has every letter of the five languages
(é, è, ò, ã, ç...): nothing is fetched, nothing depends on the server's fonts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from bot.web.admin.referral_links import ReferralLink

# reportlab, Pillow and segno are imported when a poster or a preview is drawn, not with the
# admin: about 7 MB of every worker's memory for pages staff open now and then.
FONTS = Path(find_spec("reportlab").origin or "").resolve().parent / "fonts"  # type: ignore[union-attr]
FONT_FILES = {False: FONTS / "Vera.ttf", True: FONTS / "VeraBd.ttf"}
FONT_NAMES = {False: "PuenteVera", True: "PuenteVeraBold"}
_MM = 72.0 / 2.54 * 0.1  # reportlab.lib.units.mm
A4 = (210 * _MM, 297 * _MM)  # reportlab.lib.pagesizes.A4
WIDTH, HEIGHT = A4  # points
MARGIN = 48.0
QR_SIZE = 290.0
INK, BRAND, MUTED = (29, 36, 48), (23, 50, 77), (91, 101, 117)
PNG_DPI = 150


@dataclass(frozen=True)
class Poster:
    organization: str
    link: ReferralLink
    # (language name, the poster's line in that language), in the order of the content's languages.
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Text:
    x: float
    baseline: float  # from the top of the page
    text: str
    size: float
    bold: bool = False
    color: tuple[int, int, int] = INK
    centred: bool = False


@dataclass(frozen=True)
class Code:
    x: float
    top: float
    module: float
    matrix: tuple[bytearray, ...]


@cache
def _registered() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for bold, path in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(FONT_NAMES[bold], str(path)))


def width_of(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase import pdfmetrics

    _registered()
    return pdfmetrics.stringWidth(text, FONT_NAMES[bold], size)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Whole words per line; a word longer than the line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if width_of(candidate, size, bold) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
        while width_of(current, size, bold) > width and len(current) > 1:
            cut = len(current)
            while cut > 1 and width_of(current[:cut], size, bold) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def layout(poster: Poster) -> tuple[list[Text], Code]:
    """Everything on the page, in points from the top left."""
    inner = WIDTH - 2 * MARGIN
    centre = WIDTH / 2
    parts = [Text(centre, MARGIN + 40, "Puente", 44, bold=True, color=BRAND, centred=True)]
    y = MARGIN + 40
    for line in wrap(poster.organization, 17, inner)[:2]:
        y += 26
        parts.append(Text(centre, y, line, 17, centred=True))
    import segno

    qr = segno.make(poster.link.url, error="m", micro=False)
    matrix = tuple(qr.matrix)
    module = QR_SIZE / len(matrix)
    code = Code(centre - QR_SIZE / 2, y + 24, module, matrix)
    y = code.top + QR_SIZE + 30
    parts.append(Text(centre, y, f"{poster.link.channel_name}  {poster.link.address}", 15, bold=True, centred=True))
    y += 20
    parts.append(Text(centre, y, f"« {poster.link.typed} »", 12, color=MUTED, centred=True))
    parts += _language_lines(poster.lines, y + 18, HEIGHT - MARGIN, inner)
    return parts, code


def _language_lines(lines: tuple[tuple[str, str], ...], top: float, bottom: float, width: float) -> list[Text]:
    """The languages' lines, in the largest size that fits above the bottom margin."""
    size = 15.0
    while True:
        placed: list[Text] = []
        y = top
        for name, text in lines:
            y += size * 1.5
            placed.append(Text(MARGIN, y, name, size * 0.75, bold=True, color=MUTED))
            for part in wrap(text, size, width):
                y += size * 1.25
                placed.append(Text(MARGIN, y, part, size))
        if y <= bottom or size <= 8:
            return placed
        size -= 0.5


def preview(url: str) -> str:
    """The QR code alone, small, as an SVG data URI for the admin's page (its CSP allows data: images)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=3, border=2)


def png(poster: Poster, dpi: int = PNG_DPI) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    scale = dpi / 72
    image = Image.new("RGB", (round(WIDTH * scale), round(HEIGHT * scale)), "white")
    draw = ImageDraw.Draw(image)
    texts, code = layout(poster)
    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}
    for part in texts:
        key = (part.size, part.bold)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(str(FONT_FILES[part.bold]), round(part.size * scale))
        draw.text((part.x * scale, part.baseline * scale), part.text, font=fonts[key], fill=part.color,
                  anchor="ms" if part.centred else "ls")
    # Whole pixels per module: every square the same size, so scanners read it at any distance.
    module = max(1, int(code.module * scale))
    left = round((WIDTH * scale - module * len(code.matrix)) / 2)
    top = round(code.top * scale)
    for row, cells in enumerate(code.matrix):
        for start, length in _runs(cells):
            draw.rectangle((left + start * module, top + row * module,
                            left + (start + length) * module - 1, top + (row + 1) * module - 1), fill="black")
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


def pdf(poster: Poster) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    _registered()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    canvas.setTitle(f"Puente · {poster.organization}")
    canvas.setAuthor("Puente")
    texts, code = layout(poster)
    for part in texts:
        canvas.setFillColorRGB(*(c / 255 for c in part.color))
        canvas.setFont(FONT_NAMES[part.bold], part.size)
        if part.centred:
            canvas.drawCentredString(part.x, HEIGHT - part.baseline, part.text)
        else:
            canvas.drawString(part.x, HEIGHT - part.baseline, part.text)
    canvas.setFillColorRGB(0, 0, 0)
    for row, cells in enumerate(code.matrix):
        for start, length in _runs(cells):
            canvas.rect(code.x + start * code.module, HEIGHT - code.top - (row + 1) * code.module,
                        length * code.module, code.module, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _runs(cells: bytearray) -> list[tuple[int, int]]:
    """Dark modules of a row as (start, length) runs: fewer shapes, no hairlines between them."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, dark in enumerate([*cells, 0]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs
