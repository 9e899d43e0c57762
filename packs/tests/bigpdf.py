"""Big PDFs for the memory test and the benchmark, written page by page to disk: each page
carries an incompressible image (as a scanned page does) of the size asked for."""

import os
from pathlib import Path

import pikepdf


def write_scanned_pdf(path: Path, pages: int, image_bytes: int, label: str) -> None:
    """`pages` A4 pages, each with an image stream of `image_bytes` random bytes (not decoded by
    anyone: a DCT-marked stream copied as it is) and a line of text."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number in range(1, pages + 1):
        image = pikepdf.Stream(pdf, os.urandom(image_bytes))
        image.Type = pikepdf.Name.XObject
        image.Subtype = pikepdf.Name.Image
        image.Width = 1000
        image.Height = 1400
        image.ColorSpace = pikepdf.Name.DeviceGray
        image.BitsPerComponent = 8
        image.Filter = pikepdf.Name.DCTDecode
        content = (
            f"q 500 0 0 700 40 80 cm /Im0 Do Q BT /F1 12 Tf 72 800 Td ({label} {number}) Tj ET"
        )
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(
                XObject=pikepdf.Dictionary(Im0=image), Font=pikepdf.Dictionary(F1=font)
            ),
            Contents=pikepdf.Stream(pdf, content.encode()),
        )
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path, compress_streams=False)
