import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import PersonFactory
from documents.services import Metadata, document_add, document_replace
from meetings.models import AgendaItem
from meetings.tests.factories import make_meeting, publish
from viewer.models import Rendition


def text_pdf(*pages: str) -> bytes:
    """A PDF with one A4 page per text, Vietnamese in a real font (WeasyPrint), as offices'
    documents are."""
    from weasyprint import HTML

    body = "".join(f'<section style="break-after: page"><p>{text}</p></section>' for text in pages)
    html = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>@page { size: A4 } '
        'body { font-family: "Noto Sans" }</style></head><body>' + body + "</body></html>"
    )
    return HTML(string=html).write_pdf()


def docx_bytes(text: str) -> bytes:
    import docx

    word = docx.Document()
    word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def add(meeting, by, name: str, content: bytes, **metadata):
    return document_add(
        meeting=meeting,
        by=by,
        uploaded=SimpleUploadedFile(name, content),
        metadata=Metadata(**metadata),
    )


def converted(document, *pages: str) -> Rendition:
    """The viewer's finished conversion of a non-PDF version, as its worker stores it (made here
    from text rather than by LibreOffice, which viewer/tests/test_conversion.py runs)."""
    content = text_pdf(*pages)
    row = Rendition(version=document.current, status=Rendition.Status.DONE, pages=len(pages))
    row.file.save("x.pdf", ContentFile(content), save=False)
    row.size = len(content)
    row.save()
    return row


def replace(document, by, content: bytes, name: str = "Bản sửa.pdf"):
    return document_replace(
        document=document, by=by, uploaded=SimpleUploadedFile(name, content), note=""
    )


@pytest.fixture
def agenda_meeting(role_users, office, department, other_department):
    """A published meeting with three agenda items: item 1 has two PDFs (2 and 3 pages), item 2
    a Word file converted to PDF (1 page) and a Word file not converted (no PDF form), item 3
    one PDF (1 page); a common PDF; a restricted PDF for the other department only."""
    clerk = role_users["clerk"]
    meeting = make_meeting(
        by=clerk,
        title="Họp bàn kế hoạch phát triển kinh tế – xã hội năm 2027",
        units=[department, other_department],
        secretary=role_users["secretary"],
        agenda="",
        chair=PersonFactory(full_name="Trần Thị Chủ Trì", position="Phó Chủ tịch", unit=office),
    )
    publish(meeting, clerk)
    meeting.agenda_items.all().delete()
    items = [
        AgendaItem.objects.create(meeting=meeting, position=n, title=title)
        for n, title in enumerate(
            ["Báo cáo tình hình quý IV", "Dự toán ngân sách", "Ý kiến các sở, ngành"], start=1
        )
    ]
    docs = {
        "report": add(
            meeting,
            clerk,
            "Báo cáo.pdf",
            text_pdf("Báo cáo tổng hợp trang một", "Tăng trưởng đạt 7,5%"),
            title="Báo cáo tổng hợp",
            agenda_item=items[0],
        ),
        "annex": add(
            meeting,
            clerk,
            "Phụ lục.pdf",
            text_pdf("Phụ lục số liệu", "Bảng hai", "Bảng ba"),
            title="Phụ lục số liệu",
            agenda_item=items[0],
        ),
        "word": add(
            meeting,
            clerk,
            "Tờ trình.docx",
            docx_bytes("Tờ trình dự toán"),
            title="Tờ trình dự toán",
            agenda_item=items[1],
        ),
        "sheet": add(
            meeting,
            clerk,
            "Thuyết minh.docx",
            docx_bytes("Thuyết minh chưa chuyển đổi"),
            title="Thuyết minh chi tiết",
            agenda_item=items[1],
        ),
        "opinions": add(
            meeting,
            clerk,
            "Ý kiến.pdf",
            text_pdf("Tổng hợp ý kiến đóng góp của các sở, ngành"),
            title="Tổng hợp ý kiến",
            agenda_item=items[2],
        ),
        "common": add(meeting, clerk, "Giấy mời.pdf", text_pdf("Giấy mời họp"), title="Giấy mời"),
        "restricted": add(
            meeting,
            clerk,
            "Nhân sự.pdf",
            text_pdf("Phương án nhân sự mật"),
            title="Phương án nhân sự",
            agenda_item=items[2],
            restricted=True,
            audience=[meeting.invitations.get(unit=other_department)],
            allow_download=True,
        ),
    }
    converted(docs["word"], "Tờ trình dự toán ngân sách năm 2027")
    return {"meeting": meeting, "items": items, **docs}
