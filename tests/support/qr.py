"""Reading a poster back as a phone would: the QR codes in a PNG, or in a PDF page rendered by
PDFium (pypdfium2), decoded by ZXing (zxing-cpp); and the PDF's text."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image


def codes_in_image(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image) if found.format == zxingcpp.BarcodeFormat.QRCode]


def codes_in_png(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return codes_in_image(Image.open(io.BytesIO(data)))


def _pages(data: bytes) -> pdfium.PdfDocument:
    assert data[:5] == b"%PDF-", "not a PDF"
    return pdfium.PdfDocument(data)


def codes_in_pdf(data: bytes) -> list[str]:
    document = _pages(data)
    try:
        found = []
        for page in document:
            found += codes_in_image(page.render(scale=150 / 72).to_pil())
            page.close()
        return found
    finally:
        document.close()


def pdf_text(data: bytes) -> str:
    document = _pages(data)
    try:
        texts = []
        for page in document:
            text = page.get_textpage()
            texts.append(text.get_text_range())
            text.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()


def page_count(data: bytes) -> int:
    document = _pages(data)
    try:
        return len(document)
    finally:
        document.close()
