"""Reads the text of one file, in a process of its own (B3).

Run as `python -m doctext.extract PATH EXTENSION MAX_PAGES MAX_CHARS MEMORY_BYTES CPU_SECONDS`:
the parent (doctext.runner) starts it with a wall-clock timeout; here the process limits its own
memory and CPU before opening the file, so that a zip bomb, a PDF with a million objects or a
parser's endless loop ends this process only, never the task queue's worker. It prints one JSON
object: {"status", "pages", "text", "truncated", "error"}.

Django is not set up here: only the parsers and the standard library, plus the bounded ZIP
member reading of documents.filetypes (which needs no settings).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from documents.filetypes import _read_bounded

# Kinds read here; anything else (legacy .doc/.xls/.ppt, images, archives) has no text for us.
READERS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt")
# content.xml of an OpenDocument file: inflated no further than this.
ODF_MAX_XML_BYTES = 64 * 1024 * 1024


@dataclass
class Result:
    status: str = "done"  # done, no_text, encrypted, failed, unsupported
    pages: int | None = None
    text: str = ""
    truncated: bool = False
    error: str = ""


class Collector:
    """Gathers text up to a number of characters or until its CPU budget is spent, then says
    "enough": a long file is cut and marked, rather than killed at the hard limit with nothing."""

    def __init__(self, max_chars: int, cpu_budget: float = float("inf")) -> None:
        self.max_chars = max_chars
        self.size = 0
        self.parts: list[str] = []
        self.truncated = False
        self.cpu_deadline = time.process_time() + cpu_budget

    def add(self, text: str | None) -> bool:
        """False once a cap is reached: the caller stops reading."""
        if self.truncated:
            return False
        if time.process_time() > self.cpu_deadline:
            self.truncated = True
            return False
        if not text:
            return True
        room = self.max_chars - self.size
        if len(text) >= room:
            self.parts.append(text[:room])
            self.size = self.max_chars
            self.truncated = True
            return False
        self.parts.append(text)
        self.size += len(text)
        return True

    def text(self) -> str:
        return "".join(self.parts)


def _pdf(path: str, max_pages: int, out: Collector) -> Result:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        # Many PDFs are "encrypted" with an empty user password (printing or copying forbidden):
        # anyone may open them, so may we. A real password is not ours to guess.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # noqa: BLE001 - an unknown cipher is as good as a password
            opened = False
        if not opened:
            return Result(status="encrypted", error="encrypted")
    total = len(reader.pages)
    result = Result(pages=total)
    for number, page in enumerate(reader.pages, start=1):
        if number > max_pages:
            result.truncated = True
            break
        if not out.add(page.extract_text() or "") or not out.add("\n\n"):
            break
    return result


def _docx_blocks(document: Any) -> Iterator[str]:
    """Paragraphs and tables in reading order; a table row by row, cells separated by tabs."""
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                yield "\t".join(cell.text for cell in row.cells)
        else:
            yield block.text


def _docx(path: str, out: Collector) -> Result:
    import docx

    document = docx.Document(path)
    for text in _docx_blocks(document):
        if not out.add(text) or not out.add("\n"):
            break
    return Result()


def _xlsx(path: str, out: Collector) -> Result:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = workbook.worksheets
        for sheet in sheets:
            if not out.add(f"{sheet.title}\n"):
                break
            for row in sheet.iter_rows(values_only=True):
                values = [str(v) for v in row if v is not None and str(v).strip()]
                if values and (not out.add("\t".join(values)) or not out.add("\n")):
                    break
            if out.truncated:
                break
        return Result(pages=len(sheets))
    finally:
        workbook.close()


def _pptx_shape_texts(shape: Any) -> Iterator[str]:
    if getattr(shape, "has_text_frame", False):
        yield shape.text_frame.text
    if getattr(shape, "has_table", False):
        for row in shape.table.rows:
            yield "\t".join(cell.text for cell in row.cells)
    for child in getattr(shape, "shapes", ()):  # a group
        yield from _pptx_shape_texts(child)


def _pptx(path: str, max_pages: int, out: Collector) -> Result:
    from pptx import Presentation

    presentation = Presentation(path)
    slides = list(presentation.slides)
    result = Result(pages=len(slides))
    for number, slide in enumerate(slides, start=1):
        if number > max_pages:
            result.truncated = True
            break
        for shape in slide.shapes:
            for text in _pptx_shape_texts(shape):
                if not out.add(text) or not out.add("\n"):
                    return result
        if slide.has_notes_slide and not out.add(slide.notes_slide.notes_text_frame.text + "\n"):
            return result
        if not out.add("\n"):
            return result
    return result


ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odf(path: str, ext: str, out: Collector) -> Result:
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("content.xml")
        xml = _read_bounded(archive, info, ODF_MAX_XML_BYTES + 1)
    if len(xml) > ODF_MAX_XML_BYTES:
        return Result(status="too_large", error="content.xml")
    # No entities resolved, no network, no huge trees: a billion laughs stays a few bytes.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    root = etree.fromstring(xml, parser)
    if ext == "odp":
        pages: int | None = len(root.findall(f".//{{{ODF_DRAW}}}page"))
    elif ext == "ods":
        pages = len(root.findall(f".//{{{ODF_TABLE}}}table"))
    else:
        pages = None
    blocks = (f"{{{ODF_TEXT}}}p", f"{{{ODF_TEXT}}}h")
    for element in root.iter(*blocks):
        # A paragraph inside another (a footnote's) is already in that one's text.
        if any(parent.tag in blocks for parent in element.iterancestors()):
            continue
        text = "".join(t for t in element.itertext() if isinstance(t, str))
        if not out.add(text) or not out.add("\n"):
            break
    return Result(pages=pages)


def _txt(path: str, out: Collector) -> Result:
    with open(path, "rb") as handle:
        raw = handle.read(out.max_chars * 4 + 4)
    text = raw.decode("utf-8", errors="replace")
    out.add(text)
    return Result()


def clean(text: str) -> str:
    """NFC, without leftover combining marks or control characters (PostgreSQL refuses NUL):
    each character of the result folds to exactly one character (doctext.folding)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        c
        for c in text
        if c in "\n\t" or not (unicodedata.combining(c) or unicodedata.category(c) in ("Cc", "Cs"))
    )


def extract(
    path: str, ext: str, max_pages: int, max_chars: int, cpu_budget: float = float("inf")
) -> Result:
    """The text of a file of this extension; never raises."""
    if ext not in READERS:
        return Result(status="unsupported")
    out = Collector(max_chars, cpu_budget)
    try:
        if ext == "pdf":
            result = _pdf(path, max_pages, out)
        elif ext == "docx":
            result = _docx(path, out)
        elif ext == "xlsx":
            result = _xlsx(path, out)
        elif ext == "pptx":
            result = _pptx(path, max_pages, out)
        elif ext in ("odt", "ods", "odp"):
            result = _odf(path, ext, out)
        else:
            result = _txt(path, out)
    except MemoryError:
        return Result(status="failed", error="memory")
    except Exception as exc:  # noqa: BLE001 - any parser error is a damaged file, not a crash
        # The temporary path says nothing to a reader.
        message = str(exc).replace(path, "").replace("''", "").strip()
        return Result(status="failed", error=f"{type(exc).__name__}: {message}"[:300])
    if result.status != "done":
        return result
    result.text = clean(out.text())
    result.truncated = result.truncated or out.truncated
    if not result.text.strip():
        result.status = "no_text"
        result.text = ""
    return result


def _limit(kind: int, value: int) -> None:
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, hard))


def main(argv: list[str]) -> int:
    path, ext, max_pages, max_chars, memory, cpu = argv
    _limit(resource.RLIMIT_AS, int(memory))
    _limit(resource.RLIMIT_CPU, int(cpu))
    # Reading stops, cut and marked, at 80 % of the CPU limit; the limit kills only a parser
    # stuck inside one page.
    result = extract(path, ext, int(max_pages), int(max_chars), int(cpu) * 0.8)
    data = asdict(result)
    sys.stdout.write(json.dumps(data, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
