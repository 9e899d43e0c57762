"""The summary of answers as the office files it: "Bảng tổng hợp ý kiến", laid out as Decree
30/2020/NĐ-CP asks (core.officedoc), as a page, a Word file and a PDF.

One `Layout` holds every word of it, so that the three cannot disagree: the governing body above
the asking unit (a short rule below it) and the number and symbol on the left; "CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM", the underlined motto and the place and date on the right; the title and the
request's title; how many were asked and answered; for each question, each kind of answer with
how many gave it and who, with their words; "Nơi nhận" and the signer's title and name. The
renderers only lay it out."""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.letterhead import document_symbol, governing_body
from core import officedoc

from .selectors import KINDS, Summary
from .services import deadline_text


@dataclass
class Entry:
    """A recipient under the answer it gave, with its words if it gave some."""

    name: str
    comment: str = ""


@dataclass
class Group:
    """One kind of answer to a question: "Không đồng ý" and "1 nơi", then who gave it."""

    label: str
    count: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    groups: list[Group]


@dataclass
class Layout:
    governing_body: str
    unit_name: str
    number_line: str
    republic: str
    motto: str
    place_date: str
    title: str
    subject: str
    intro: list[str]
    sections: list[Section]
    recipients_label: str
    recipients: list[str]
    signer_title: str
    signer_name: str


def kind_label(kind: str, *, still_open: bool) -> str:
    labels = {
        "agree": _("Đồng ý"),
        "agree_comment": _("Đồng ý, có ý kiến"),
        "disagree": _("Không đồng ý"),
        "other": _("Ý kiến khác"),
        "none": _("Chưa trả lời") if still_open else _("Không trả lời"),
    }
    return labels[kind]


def _places(count: int) -> str:
    return ngettext("%(count)s nơi", "%(count)s nơi", count) % {"count": count}


def _intro(summary: Summary) -> list[str]:
    request = summary.request
    lines = []
    if request.sent_at is not None:
        lines.append(
            ngettext(
                "Ngày %(day)s, %(unit)s gửi phiếu lấy ý kiến đến %(count)s nơi, "
                "hạn trả lời %(deadline)s.",
                "Ngày %(day)s, %(unit)s gửi phiếu lấy ý kiến đến %(count)s nơi, "
                "hạn trả lời %(deadline)s.",
                summary.recipients,
            )
            % {
                "day": date_format(timezone.localtime(request.sent_at), "d/m/Y"),
                "unit": request.organiser_unit.name,
                "count": summary.recipients,
                "deadline": deadline_text(request.deadline),
            }
        )
    else:
        lines.append(_("Phiếu lấy ý kiến chưa được gửi đi."))
    values = {"answered": summary.answered, "count": summary.recipients, "missing": summary.missing}
    if summary.still_open:
        received = ngettext(
            "Đã nhận ý kiến của %(answered)s/%(count)s nơi; %(missing)s nơi chưa trả lời.",
            "Đã nhận ý kiến của %(answered)s/%(count)s nơi; %(missing)s nơi chưa trả lời.",
            summary.recipients,
        )
    else:
        received = ngettext(
            "Đã nhận ý kiến của %(answered)s/%(count)s nơi; %(missing)s nơi không trả lời.",
            "Đã nhận ý kiến của %(answered)s/%(count)s nơi; %(missing)s nơi không trả lời.",
            summary.recipients,
        )
    lines.append((received % values) + " " + _("Kết quả tổng hợp như sau:"))
    return lines


def layout(summary: Summary) -> Layout:
    request = summary.request
    unit = request.organiser_unit
    sections = [
        Section(
            heading=f"{row.question.position}. {row.question.text}",
            groups=[
                Group(
                    label=kind_label(kind, still_open=summary.still_open),
                    count=_places(row.count(kind)),
                    entries=[Entry(r.name, r.comment) for r in row.by_kind[kind]],
                )
                for kind in KINDS
            ],
        )
        for row in summary.questions
    ]
    return Layout(
        governing_body=governing_body(unit).upper(),
        unit_name=unit.name.upper(),
        number_line=_("Số:      /BTH-%s") % document_symbol(unit),
        republic=officedoc.republic(),
        motto=officedoc.motto(),
        place_date=officedoc.place_date(settings.MINUTES_PLACE, timezone.localdate()),
        title=_("BẢNG TỔNG HỢP Ý KIẾN"),
        subject=request.title,
        intro=_intro(summary),
        sections=sections,
        recipients_label=_("Nơi nhận:"),
        recipients=["- " + _("Lưu: VT.")],
        signer_title=(summary.signer_title or _("Thủ trưởng đơn vị")).upper(),
        signer_name=summary.signer_name,
    )


def pdf(doc: Layout) -> bytes:
    # WeasyPrint needs Pango from the system; loaded here so that the rest runs without it.
    from weasyprint import HTML

    return bytes(HTML(string=render_to_string("opinions/export.html", {"doc": doc})).write_pdf())


def docx(doc: Layout) -> bytes:
    document = officedoc.new_document()
    para = officedoc.paragraph
    officedoc.letterhead(
        document,
        governing_body=doc.governing_body,
        unit_name=doc.unit_name,
        number_line=doc.number_line,
        place_date=doc.place_date,
    )
    para(document, "")
    para(document, doc.title, bold=True)
    para(document, doc.subject, bold=True)
    officedoc.short_rule(document, 4)
    for line in doc.intro:
        officedoc.body_paragraph(document, line)
    for section in doc.sections:
        officedoc.body_paragraph(document, section.heading).runs[0].bold = True
        for group in section.groups:
            line = officedoc.body_paragraph(document, "")
            line.add_run(group.label).italic = True
            line.add_run(f": {group.count}")
            for entry in group.entries:
                line = officedoc.body_paragraph(document, "- ")
                line.add_run(entry.name).bold = True
                if entry.comment:
                    line.add_run(f": {entry.comment}")
    para(document, "")
    foot = officedoc.fixed_table(document, [8.25, 8.25])
    left, right = foot.rows[0].cells
    para(left, doc.recipients_label, bold=True, italic=True, center=False, size=12)
    for recipient in doc.recipients:
        para(left, recipient, center=False, size=11)
    para(right, doc.signer_title, bold=True)
    for _i in range(4):
        para(right, "")
    para(right, doc.signer_name, bold=True)
    return officedoc.to_bytes(document)
