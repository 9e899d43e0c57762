"""Making the pack's PDF: the cover and agenda (WeasyPrint), then every document's pages in
agenda order (pikepdf), bookmarks, and "Trang x/y" on every page.

Memory stays flat whatever the size: each document is read from a file on disk (itself on
local disk, a temporary copy from S3, or its stamped copy), and qpdf copies one stream at a time
from the sources into a temporary file (build_pack says how). Nothing is decoded or compressed
again.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from documents.watermark import StampError, local_copy, stamp, temp_dir, watermark_text

from .plan import Entry, Plan

FOOTER_SIZE = 9.0
FOOTER_MARGIN = 14.0
# Helvetica's widths (per 1000 units of the font size) of the characters of "Trang 12/345", to
# centre the page number without embedding a font: the footer is plain ASCII in one of PDF's
# standard fonts, which every reader has, so a 600-page pack gets a few bytes per page rather
# than a WeasyPrint page (with its font) for each.
_WIDTHS = {"T": 611, "r": 333, "a": 556, "n": 556, "g": 556, " ": 278, "/": 278}
_DIGIT = 556


@dataclass
class Part:
    entry: Entry
    path: str = ""  # the PDF on disk, "" when it is not in the pack
    pages: int = 0
    first: int | None = None  # 0-based index of its first page in the pack
    note: str = ""


@dataclass
class Built:
    pages: int


def _text_width(text: str) -> float:
    return sum(_WIDTHS.get(ch, _DIGIT) for ch in text) * FOOTER_SIZE / 1000


@contextlib.contextmanager
def _opened(plan: Plan) -> Iterator[list[Part]]:
    """Each entry's PDF opened with pikepdf (stamped for the reader where it must be), or the
    note that says why it is not in the pack. Everything is closed and deleted on leaving."""
    with contextlib.ExitStack() as stack:
        parts = []
        stamp_text = watermark_text(plan.reader) if plan.reader is not None else ""
        for entry in plan.entries:
            part = Part(entry)
            parts.append(part)
            if entry.online_only:
                part.note = translation.gettext("Tài liệu hạn chế: chỉ đọc trực tuyến.")
                continue
            if entry.source is None:
                part.note = translation.gettext(
                    "Tài liệu này không có bản PDF, chỉ có bản tải về trên trang cuộc họp."
                )
                continue
            storage, name, size = entry.source
            try:
                path = stack.enter_context(local_copy(storage, name, size))
                if entry.stamped:
                    stamped: IO[bytes] = stack.enter_context(stamp(path, stamp_text))
                    path = stamped.name
                # Opening reads the cross-reference table and the page tree, not the streams.
                with pikepdf.open(path) as pdf:
                    part.pages = len(pdf.pages)
                part.path = path
            except (StampError, pikepdf.PdfError, OSError, ValueError):
                part.path = ""
                part.note = translation.gettext(
                    "Không đọc được tệp PDF của tài liệu này; hãy tải về trên trang cuộc họp."
                )
        yield parts


def _cover(plan: Plan, parts: list[Part], cover_pages: int) -> bytes:
    """The cover and agenda, with the page where each document starts given the cover's
    length."""
    page = cover_pages + 1
    rows = []
    by_entry = {id(part.entry): part for part in parts}
    for section in plan.sections:
        items = []
        for entry in section.entries:
            part = by_entry[id(entry)]
            start = None
            if part.path and part.pages:
                start = page
                page += part.pages
            items.append({"document": entry.document, "page": start, "note": part.note})
        starts = [item["page"] for item in items if item["page"] is not None]
        rows.append({"title": section.title, "items": items, "page": starts[0] if starts else None})
    meeting = plan.meeting
    html = render_to_string(
        "packs/cover.html",
        {
            "meeting": meeting,
            "start": timezone.localtime(meeting.start_at).strftime("%d/%m/%Y %H:%M"),
            "sections": rows,
            "reader": plan.reader,
            "site_name": settings.SITE_NAME,
        },
    )
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _cover_pdf(plan: Plan, parts: list[Part]) -> pikepdf.Pdf:
    """The cover whose page numbers agree with its own length (a long agenda may take more pages
    than first guessed: rendered again with the count it gave)."""
    guess = 1
    for _attempt in range(4):
        cover = pikepdf.open(_bytes(_cover(plan, parts, guess)))
        if len(cover.pages) == guess:
            return cover
        guess = len(cover.pages)
        cover.close()
    return pikepdf.open(_bytes(_cover(plan, parts, guess)))


def _bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _number_pages(pdf: pikepdf.Pdf) -> None:
    """ "Trang x/y" at the foot of every page, upright as the page is shown (its /Rotate)."""
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    total = len(pdf.pages)
    for index, page in enumerate(pdf.pages, start=1):
        name = page.add_resource(font, pikepdf.Name.Font, prefix="HkgPage")
        text = translation.gettext("Trang %(page)s/%(total)s") % {"page": index, "total": total}
        text = text.encode("cp1252", "replace").decode("cp1252")
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        width, height = abs(x1 - x0), abs(y1 - y0)
        left, bottom = min(x0, x1), min(y0, y1)
        rotate = int(page.obj.get("/Rotate", 0)) % 360
        shown_width = width if rotate in (0, 180) else height
        u = (shown_width - _text_width(text)) / 2
        v = FOOTER_MARGIN
        # From the page as shown (u right, v up) to the page's own space.
        matrix = {
            0: (1, 0, 0, 1, u, v),
            90: (0, 1, -1, 0, width - v, u),
            180: (-1, 0, 0, -1, width - u, height - v),
            270: (0, -1, 1, 0, v, height - u),
        }.get(rotate, (1, 0, 0, 1, u, v))
        a, b, c, d, e, f = matrix
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content = (
            f"q 1 0 0 1 {left:.2f} {bottom:.2f} cm {a} {b} {c} {d} {e:.2f} {f:.2f} cm "
            f"BT {name} {FOOTER_SIZE} Tf 0.25 g 0 0 Td ({escaped}) Tj ET Q"
        ).encode("cp1252")
        # The page's own drawing is wrapped in q/Q first, so a state it leaves changed (a
        # transformation, a colour) does not move or hide the number.
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"\nQ\n" + content))


def build_pack(plan: Plan) -> tuple[IO[bytes], int]:
    """The pack as an open temporary file at its start (closing it deletes it), and its page
    count.

    qpdf (through pikepdf.Job) puts the cover and the documents' pages together file to file,
    copying each stream from its source as it writes it: pikepdf's `pages.extend` would hold
    every copied stream in memory until the save (measured: the whole 96 MB of the memory
    test). The merged file is then opened for the bookmarks and the page numbers, which touch
    the page dictionaries only, and written again with its streams copied as they are."""
    output = tempfile.NamedTemporaryFile(dir=temp_dir(), suffix=".pdf")  # noqa: SIM115
    try:
        with (
            translation.override(settings.LANGUAGE_CODE),
            _opened(plan) as parts,
            tempfile.TemporaryDirectory(dir=temp_dir(), prefix="pack-") as folder,
        ):
            cover_path = os.path.join(folder, "cover.pdf")
            with _cover_pdf(plan, parts) as cover:
                cover.save(cover_path)
                page = len(cover.pages)
            sources = [cover_path]
            for part in parts:
                if part.path and part.pages:
                    part.first = page
                    page += part.pages
                    sources.append(part.path)
            merged = os.path.join(folder, "merged.pdf")
            job = pikepdf.Job(
                ["qpdf", "--warning-exit-0", "--empty", "--pages", *sources, "--", merged]
            )
            job.run()
            if job.exit_code != 0:
                raise OSError(f"qpdf could not merge the pack (exit code {job.exit_code})")
            with pikepdf.open(merged) as pack:
                _outline(pack, plan, parts)
                _number_pages(pack)
                pages = len(pack.pages)
                pack.save(
                    output,  # type: ignore[arg-type]
                    compress_streams=False,
                    stream_decode_level=pikepdf.StreamDecodeLevel.none,
                )
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output, pages


def _outline(pack: pikepdf.Pdf, plan: Plan, parts: list[Part]) -> None:
    """One bookmark for the cover, one per agenda item (at its first document, else the cover)
    and one per document that has pages."""
    by_entry = {id(part.entry): part for part in parts}
    with pack.open_outline() as outline:
        outline.root.append(
            pikepdf.OutlineItem(translation.gettext("Trang bìa và chương trình họp"), 0)
        )
        for section in plan.sections:
            children = []
            for entry in section.entries:
                part = by_entry[id(entry)]
                if part.first is not None:
                    children.append(pikepdf.OutlineItem(entry.document.title, part.first))
            firsts = [by_entry[id(e)].first for e in section.entries]
            first = next((page for page in firsts if page is not None), 0)
            item = pikepdf.OutlineItem(section.title, first)
            item.children.extend(children)
            outline.root.append(item)
