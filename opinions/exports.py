"""The summary of answers as a Word document (python-docx), with the administrative heading
lines of the product's other exports; the PDF is the template opinions/export.html."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import Summary


def heading_lines(summary: Summary) -> dict[str, str]:
    return {
        "unit": summary.request.organiser_unit.name.upper(),
        "republic": _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        "motto": _("Độc lập - Tự do - Hạnh phúc"),
        "title": _("BẢNG TỔNG HỢP Ý KIẾN"),
    }


def summary_docx(summary: Summary) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    request = summary.request
    lines = heading_lines(summary)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = lines["unit"]
    header.cell(0, 1).text = lines["republic"]
    header.cell(1, 1).text = lines["motto"]
    for row in header.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in paragraph.runs:
                    run.bold = True

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(lines["title"]).bold = True
    subject = document.add_paragraph(request.title)
    subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
    deadline = timezone.localtime(request.deadline).strftime("%H:%M %d/%m/%Y")
    document.add_paragraph(_("Hạn trả lời: %s") % deadline)
    document.add_paragraph(
        _("Số nơi được lấy ý kiến: %(all)s; đã trả lời: %(answered)s; chưa trả lời: %(missing)s.")
        % {
            "all": summary.recipients,
            "answered": summary.answered,
            "missing": summary.recipients - summary.answered,
        }
    )
    for row in summary.questions:
        heading = document.add_paragraph()
        heading.add_run(f"{row.question.position}. {row.question.text}").bold = True
        counts = document.add_table(rows=2, cols=3)
        counts.style = "Table Grid"
        for n, (label, value) in enumerate(
            [
                (_("Đồng ý"), row.agree),
                (_("Không đồng ý"), row.disagree),
                (_("Ý kiến khác"), row.other),
            ]
        ):
            counts.cell(0, n).text = label
            counts.cell(1, n).text = str(value)
        if row.comments:
            document.add_paragraph(_("Ý kiến cụ thể:"))
            for comment in row.comments:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(
                    f"{comment.recipient} ({comment.by}, {comment.choice}): "
                ).bold = True
                paragraph.add_run(comment.comment)
    document.add_paragraph()
    missing = document.add_paragraph()
    missing.add_run(_("Chưa trả lời:") + " ").bold = True
    missing.add_run(", ".join(summary.not_answered) or _("không có"))
    document.add_paragraph(
        _("Lập ngày %s") % timezone.localdate().strftime("%d/%m/%Y")
    ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
