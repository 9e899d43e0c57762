"""The documentation in the repository stays true to itself and to the code.

README.md is the door (short), docs/ is the manual. Every relative link in them reaches a file of
the repository (and a heading of it, for a #anchor); every requirement id that a comment or a
docstring of the code cites (A4, M3, B11...) is explained in docs/requirements.md; every setting
the code reads from the environment is in docs/configuration.md.
"""

import ast
import io
import os
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR).resolve()
DOCS = BASE / "docs"
README = BASE / "README.md"
README_MAX_LINES = 300

# Folders that are not the product's code, or whose comments are the tests' own.
NOT_CODE = {".venv", "node_modules", ".git", "test-output", "static_root", "var", "media"}
NOT_CITING = {"tests", "migrations", "browser_tests"}

# A requirement id as the code writes it: a family letter and a number, standing alone:
# "(A4)", "(M3, D2)", "(P1–P3)", "page: B11)". Not part of a word or a name ("XC2", "hop-B1",
# "S3-compatible"), not a colour ("#B5"), not hexadecimal ("0xA4"), not a version ("v1.B2").
REQUIREMENT_ID = re.compile(r"(?<![\w#.\-/])([AMTCSDPB])([1-9][0-9]?)(?![\w]|-[a-z])")
RANGE = re.compile(
    r"(?<![\w#.\-/])([AMTCSDPB])([1-9][0-9]?)\s*[–-]\s*([AMTCSDPB])([1-9][0-9]?)(?![\w])"
)

# Comments in templates and in the static files' CSS and JavaScript.
TEMPLATE_COMMENT = re.compile(
    r"\{#.*?#\}|\{%-?\s*comment\b.*?%\}.*?\{%-?\s*endcomment\s*-?%\}|<!--.*?-->", re.S
)
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
LINE_COMMENT = re.compile(r"(?<![:\\/])//(.*)$", re.M)

# Markdown: fenced code, inline code, then links and images.
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)

# The settings the code reads, as deploy/tests/test_deploy_files.py finds them.
READ = re.compile(r"""\b(?:env|env_int|env_bool|env_list|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def without_code(text: str) -> str:
    return INLINE_CODE.sub("", FENCE.sub("", text))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text, lower case, punctuation dropped (letters of
    any script, digits, "_" and "-" stay), each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text, not its target
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for match in HEADING.finditer(FENCE.sub("", path.read_text(encoding="utf-8"))):
        slug = github_slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path) -> Iterator[str]:
    for match in LINK.finditer(without_code(path.read_text(encoding="utf-8"))):
        yield match.group(1)


def code_files(suffixes: tuple[str, ...]) -> Iterator[Path]:
    """The product's files with these suffixes, without entering the folders left out (the
    virtualenv, node_modules, .git and the tests' output hold many thousands of files)."""
    for folder, subfolders, names in os.walk(BASE):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name not in NOT_CODE | NOT_CITING and not name.startswith(".")
        )
        for name in sorted(names):
            if name.endswith(suffixes):
                yield Path(folder) / name


def python_comments(path: Path) -> Iterator[tuple[int, str]]:
    """Every comment and docstring of a Python file, with its line."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                yield node.body[0].lineno, docstring


def other_comments(path: Path) -> Iterator[tuple[int, str]]:
    """The comments of a template, a stylesheet or a script, with their first line."""
    text = path.read_text(encoding="utf-8")
    patterns = [TEMPLATE_COMMENT] if path.suffix == ".html" else [BLOCK_COMMENT]
    if path.suffix == ".js":
        patterns.append(LINE_COMMENT)
    for pattern in patterns:
        for match in pattern.finditer(text):
            yield text.count("\n", 0, match.start()) + 1, match.group(0)


def ids_in(text: str) -> set[str]:
    found = {letter + number for letter, number in REQUIREMENT_ID.findall(text)}
    for first, start, second, end in RANGE.findall(text):
        if first == second and int(start) < int(end):
            found |= {f"{first}{n}" for n in range(int(start), int(end) + 1)}
    return found


def cited_ids() -> dict[str, list[str]]:
    """Requirement id -> where the code cites it ("path:line")."""
    cited: dict[str, list[str]] = {}
    sources = [(path, python_comments(path)) for path in code_files((".py",))]
    sources += [(path, other_comments(path)) for path in code_files((".html", ".css", ".js"))]
    for path, comments in sources:
        for line, text in comments:
            for requirement in ids_in(text):
                cited.setdefault(requirement, []).append(f"{path.relative_to(BASE)}:{line}")
    return cited


def explained_ids() -> set[str]:
    """The ids docs/requirements.md gives a heading of their own ("### A4 ...")."""
    text = (DOCS / "requirements.md").read_text(encoding="utf-8")
    return set(re.findall(r"^#{2,6}\s+([AMTCSDPB][1-9][0-9]?)\b", text, re.M))


# ---- the door ------------------------------------------------------------------------------------
def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines; at most {README_MAX_LINES}: move the manual to docs/"
    )


def test_readme_links_every_page_of_the_manual():
    linked = {
        (README.parent / target.split("#")[0]).resolve()
        for target in links(README)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target)
    }
    pages = {path.resolve() for path in DOCS.glob("*.md")}
    assert pages, "docs/ holds the manual"
    assert pages <= linked, f"not linked from README.md: {sorted(p.name for p in pages - linked)}"


# ---- links ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: str(p.relative_to(BASE)))
def test_every_relative_link_reaches_a_file_and_a_heading(page: Path):
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.is_relative_to(BASE):
            broken.append(f"{target}: outside the repository")
        elif not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no heading #{anchor} in {destination.relative_to(BASE)}")
    assert not broken, f"{page.relative_to(BASE)}: {broken}"


def test_the_documentation_points_nowhere_outside_the_repository():
    outside = re.compile(r"\.\./shared|SPEC" r"\.md")
    for page in markdown_files():
        text = page.read_text(encoding="utf-8")
        assert not outside.search(text), f"{page.relative_to(BASE)}: {outside.search(text)}"


def test_github_slugs():
    """The anchors the link test expects are the ones GitHub makes."""
    assert github_slug("Backup and restore") == "backup-and-restore"
    assert github_slug("A4. Passwords (mật khẩu)") == "a4-passwords-mật-khẩu"
    assert github_slug("`make test`, step by step") == "make-test-step-by-step"
    assert github_slug("Storage on S3 — [MinIO](https://min.io)") == "storage-on-s3--minio"


# ---- requirement ids -----------------------------------------------------------------------------
def test_the_id_pattern_reads_what_the_code_writes():
    assert ids_in("(A4)") == {"A4"}
    assert ids_in("# ---- comments (C1, C2, M8) ----") == {"C1", "C2", "M8"}
    assert ids_in("one by one from its page: B11).") == {"B11"}
    assert ids_in("Layout, help (P1–P3)") == {"P1", "P2", "P3"}
    assert ids_in("XC2 #B5 0xA4 S3-compatible v1.B2 hop-B1 pageB3 B1x") == set()


def test_every_requirement_id_cited_in_the_code_is_explained():
    cited = cited_ids()
    # The walk finds what the code writes: if it found little, the pattern or the walk is broken.
    assert sum(len(places) for places in cited.values()) > 200, cited
    assert any(p.startswith("accounts/validators.py:") for p in cited.get("A4", [])), cited
    assert any(p.startswith("static/css/print.css:") for p in cited.get("P4", [])), cited
    assert any(p.startswith("meetings/templates/") for p in cited.get("B6", [])), cited
    missing = {
        requirement: places[:3]
        for requirement, places in sorted(cited.items())
        if requirement not in explained_ids()
    }
    assert not missing, f"cited in the code but not explained in docs/requirements.md: {missing}"


def test_every_requirement_id_cited_in_the_documentation_is_explained():
    cited = {
        requirement: page.relative_to(BASE)
        for page in markdown_files()
        if page.name != "requirements.md"
        for requirement in ids_in(without_code(page.read_text(encoding="utf-8")))
    }
    missing = {k: str(v) for k, v in cited.items() if k not in explained_ids()}
    assert not missing, f"cited in the documentation but not explained: {missing}"


# ---- settings ------------------------------------------------------------------------------------
def test_every_setting_the_code_reads_is_documented():
    read: set[str] = set()
    for path in sorted((BASE / "config").rglob("*.py")):
        read |= set(READ.findall(path.read_text(encoding="utf-8")))
    assert len(read) > 40, f"the pattern finds the settings: {sorted(read)}"
    documented = set(
        re.findall(r"`([A-Z][A-Z0-9_]+)`", (DOCS / "configuration.md").read_text(encoding="utf-8"))
    )
    assert not read - documented, f"not in docs/configuration.md: {sorted(read - documented)}"
