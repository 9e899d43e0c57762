"""Files built in the tests: real documents of each kind, with Vietnamese text."""

import io
import zipfile

VN = "Kế hoạch đầu tư công năm 2027 của Sở Tài chính"
VN_TABLE = "Đường giao thông nông thôn"


def vietnamese_pdf(*pages: str) -> bytes:
    import weasyprint

    html = "".join(
        f'<p style="page-break-before:always">{page}</p>' if i else f"<p>{page}</p>"
        for i, page in enumerate(pages or (VN,))
    )
    return weasyprint.HTML(string=html).write_pdf()


def ascii_pdf(pages: list[str]) -> bytes:
    """A PDF written by hand, one page per string (ASCII, Helvetica): quick at a thousand pages."""
    objects: list[bytes] = []
    count = len(pages)
    # 1: catalog, 2: pages, 3: font, then (page, content) pairs.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
            f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def encrypted_pdf(password: str = "mat-khau") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(ascii_pdf(["Secret plan"]))))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Tờ trình", level=1)
    document.add_paragraph(VN)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Hạng mục"
    table.cell(0, 1).text = "Kinh phí"
    table.cell(1, 0).text = VN_TABLE
    table.cell(1, 1).text = "12 tỷ đồng"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def large_docx(paragraphs: int) -> bytes:
    import docx

    document = docx.Document()
    for i in range(paragraphs):
        document.add_paragraph(f"Điều {i}. {VN}, đoạn số {i} của văn bản.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dự toán"
    sheet.append(["Hạng mục", "Kinh phí"])
    sheet.append([VN_TABLE, 12_000])
    workbook.create_sheet("Ghi chú").append([VN])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_bytes() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Báo cáo tóm tắt"
    slide.placeholders[1].text = VN
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Bảng"
    table = second.shapes.add_table(1, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    table.cell(0, 0).text = VN_TABLE
    table.cell(0, 1).text = "Quý IV"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:text>
<text:h text:outline-level="1">Thông báo</text:h>
<text:p>{body}<text:span> – bổ sung</text:span></text:p>
</office:text></office:body></office:document-content>"""


def odf_zip(content: str, mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()


def odt_bytes() -> bytes:
    return odf_zip(ODT_CONTENT.format(body=VN))


def docx_bomb(inflated_bytes: int) -> bytes:
    """A .docx whose document.xml inflates to `inflated_bytes` of paragraphs: a few hundred kB
    on disk."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    paragraph = b"<w:p><w:r><w:t>bom</w:t></w:r></w:p>"
    tail = b"</w:body></w:document>"
    template = io.BytesIO(docx_bytes())
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, source.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            chunk = paragraph * (1024 * 1024 // len(paragraph))
            written = 0
            while written < inflated_bytes:
                member.write(chunk)
                written += len(chunk)
            member.write(tail)
    return out.getvalue()
