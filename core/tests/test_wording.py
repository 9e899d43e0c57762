"""One spelling for the words the office writes, in the code, the templates, the documentation and
both catalogues: "tỷ lệ" (not "tỉ lệ"), and the national name as Decree 30/2020/NĐ-CP writes it,
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (not "CỘNG HOÀ")."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".git", ".venv", "node_modules", "test-output", "static_root", "var", "__pycache__"}
SUFFIXES = {".py", ".html", ".txt", ".md", ".po", ".js", ".css"}
# The spelling left out, and the one to write instead.
SPELLINGS = {
    re.compile(r"\btỉ lệ", re.IGNORECASE): "tỷ lệ",
    re.compile(r"CỘNG HOÀ XÃ HỘI"): "CỘNG HÒA XÃ HỘI",
}


def _files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if path.suffix in SUFFIXES and path.is_file() and not parts & SKIPPED:
            found.append(path)
    return found


def test_one_spelling_everywhere() -> None:
    this = Path(__file__).resolve()
    wrong = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]} (write “{right}”)"
        for path in _files()
        if path.resolve() != this
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for pattern, right in SPELLINGS.items()
        if pattern.search(line)
    ]
    assert not wrong, "\n".join(wrong)
