"""No input answers a 500 (issue 17): every URL pattern of the project, as every role, with nasty
values in every query parameter the project reads (GET) and in every field of every form it shows
(POST). A 5xx, or a traceback in any answer, is a failure; all failures are listed at the end.

The URLs come from the authorisation matrix's rows, which give real objects of the shared fixtures
(so object pages are reached, not only their 404), then from every pattern with a converter built
with boundary ids (0, 1, 2**31, 2**63). Each request runs in a savepoint that is rolled back, and
each role's client gets its session cookie back, so a POST that succeeds (a sign-out, a deletion)
changes nothing for the next request.

Every value meets every parameter of a page that reads the URL at least once, spread over the
roles that reach the page; pages that read no query parameter, the exports that repeat their page's
form, and Django's admin get a rotating share of the values, so the walk stays within minutes."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_CACHE_PREFIX
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, StringConverter

from accounts.sessions import seen_mark
from conftest import ROLES, count_menu_once_per_account
from core.tests.test_authorisation_matrix import ADMIN_EXTRA_PAGES, MATRIX
from core.tests.test_authorisation_matrix import fixtures as fixtures  # the matrix's objects

Value = str | list[str]

VALUES: list[Value] = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "31/12/9999",
    "01/01/0001",
    "9999-12-31",
    "00/00/0000",
    "2026-02-30",
    "%00",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "x" * 5000,
    "đ" * 300,
    ["1", "2"],  # a repeated parameter
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "13/2026",
    "00/0000",
    "9999-12",
    # Good values, so that the rotated requests mix a valid filter with a bad one.
    "01/01/2026",
    "2026-06-30",
    "1",
    "2026",
    "06/2026",
    "ca-nam",
    "today",
]

# Every query parameter name the project reads (request.GET and the filter forms), found by
# reading the views and forms; the names of GET forms and links on each page are added to these.
QUERY_PARAMS = [
    "q",
    "tu",
    "den",
    "to_chuc",
    "loai",
    "hinh_thuc",
    "linh_vuc",
    "moi",
    "trang_thai",
    "co_tai_lieu",
    "page",
    "trang",
    "period",
    "don_vi",
    "nam",
    "ky",
    "tai_khoan",
    "su_kien",
    "ngay",
    "thang",
    "tuan",
    "format",
    "from",
    "chua-doc",
    "next",
    "language",
]
# Views that read the URL although their page has no search form or link to say so.
READS_QUERY = {
    "accounts:login",
    "admin_login",
    "attendance:chair_report",
    "feedback:list",
    "notifications:inbox",
    "set_language",
}
# Django's admin answers an unknown parameter with "?e=1" and reads nothing else: only its own.
ADMIN_QUERY_PARAMS = ["q", "o", "p", "all", "_popup", "term"]
# Fields a POST-only URL may read though no page showed its form to the walk.
POST_FIELDS = ["revision", "reason", "next", "language", "status", "confirm"]

BOUNDARY_IDS: list[Any] = [0, 1, 2**31, 2**63]
BOUNDARY_STRINGS = ["0", "x" * 300, "đ", "a\x00b"]  # one per id above
# The share of the values that a page reading no query parameter (or an export, or the admin)
# gets, rotating from page to page so that all of them are used.
SHARE = 4


# ---- reading the pages: their forms and the parameters of their links -------------------------


@dataclass
class _Form:
    method: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type


class _PageReader(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.forms: list[_Form] = []
        self.by_id: dict[str, _Form] = {}
        self.orphans: list[tuple[str, str, str]] = []  # form id, name, type
        self.link_params: set[str] = set()
        self._open: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urlsplit(a.get("action", ""))
            if action.netloc:
                return
            self._open = _Form((a.get("method") or "get").lower(), action.path or self.path)
            self.forms.append(self._open)
            if a.get("id"):
                self.by_id[a["id"]] = self._open
            if action.query and self._open.method == "get":
                self._open.fields.update(dict.fromkeys(dict(parse_qsl(action.query)), "text"))
        elif tag in {"input", "select", "textarea", "button"} and a.get("name"):
            kind = a.get("type", tag).lower() if tag == "input" else tag
            if a.get("form"):
                self.orphans.append((a["form"], a["name"], kind))
            elif self._open is not None:
                self._open.fields[a["name"]] = kind
        elif tag == "a" and a.get("href"):
            link = urlsplit(a["href"])
            if link.query and not link.netloc and link.path in {"", self.path}:
                self.link_params.update(dict(parse_qsl(link.query, keep_blank_values=True)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None

    def result(self) -> tuple[list[_Form], set[str]]:
        for form_id, name, kind in self.orphans:
            if form_id in self.by_id:
                self.by_id[form_id].fields[name] = kind
        return self.forms, self.link_params


# ---- sending: one savepoint per request, the role's cookies put back before each ---------------


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…({len(text)} chars)"


def _where(exc_info: Any) -> str:
    """The exception and the last frame of the project's own code it passed through (else the
    last frame)."""
    _, error, tb = exc_info
    frames = traceback.extract_tb(tb)
    own = [f for f in frames if "/.venv/" not in f.filename] or frames
    place = f" at {own[-1].filename.removeprefix(str(settings.BASE_DIR))}:{own[-1].lineno}"
    return f"{type(error).__name__}: {str(error)[:160]}" + (place if own else "")


@dataclass
class _Walk:
    clients: dict[str, Client]
    cookies: dict[str, SimpleCookie]
    failures: list[str] = field(default_factory=list)
    sent: int = 0
    last_error: str = ""
    # What the cache holds of the roles' sessions when the walk starts: put back after emptying
    # the cache before each request, as a database rolled back puts its rows back.
    baseline: dict[str, Any] = field(default_factory=dict)

    def keep_sessions(self) -> None:
        for cookies in self.cookies.values():
            morsel = cookies.get(settings.SESSION_COOKIE_NAME)
            if morsel is None:
                continue
            for key in (SESSION_CACHE_PREFIX + morsel.value, seen_mark(morsel.value)):
                value = cache.get(key)
                if value is not None:
                    self.baseline[key] = value

    def send(self, role: str, method: str, url: str, data: dict[str, Any]) -> tuple[int, bytes]:
        """The status and body, or (0, b"") after recording a failure."""
        client = self.clients[role]
        client.cookies = SimpleCookie({k: m.value for k, m in self.cookies[role].items()})
        cache.clear()
        cache.set_many(self.baseline)
        self.sent += 1
        exc_info: Any = None
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, _payload(data))
                status, body = response.status_code, _body(response)
                exc_info = getattr(response, "exc_info", None)
                transaction.set_rollback(True)
        except Exception as error:  # a streamed body failing after the view returned
            status, body, exc_info = 500, b"", (type(error), error, error.__traceback__)
        if status >= 500 or b"Traceback" in body or b"Exception Value" in body:
            self.last_error = f"{status} " + (_where(exc_info) if exc_info else "traceback shown")
            return 0, b""
        return status, body

    def check(self, role: str, method: str, url: str, data: dict[str, Any]) -> tuple[int, bytes]:
        """As send, and on a failure the parameter(s) to blame, each sent alone."""
        status, body = self.send(role, method, url, data)
        if status:
            return status, body
        error = self.last_error
        culprits = [
            f"{name}={_short(value)}"
            for name, value in data.items()
            if len(data) > 1 and not self.send(role, method, url, {name: value})[0]
        ]
        self.failures.append(
            f"{role} {method.upper()} {url} {', '.join(culprits) or _describe(data)}: {error}"
        )
        return 0, b""


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    """Values for the test client; a file field gets an upload named after the value."""
    out = {}
    for name, value in data.items():
        if isinstance(value, tuple):  # ("file", value)
            out[name] = SimpleUploadedFile(f"{value[1]}.pdf", b"%PDF-1.4\n%%EOF\n")
        else:
            out[name] = value
    return out


def _describe(data: dict[str, Any]) -> str:
    values = {_short(v) for v in data.values()}
    if len(values) == 1:
        return f"every parameter={values.pop()}"
    return ", ".join(f"{k}={_short(v)}" for k, v in data.items()) or "no parameters"


def _body(response: HttpResponseBase) -> bytes:
    """The whole body; a streamed one is read to its end, where the test client closes it (a
    second close would fire request_finished and close PostgreSQL's connection mid-test)."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


# ---- the URLs: the matrix's rows, the admin's pages, and every converter's boundaries ----------


@dataclass
class _Case:
    name: str
    url: str
    admin: bool = False
    # The matrix's outcome of a plain GET for each role, where the case is one of its rows.
    expected: dict[str, Any] | None = None


def _patterns(
    resolver: URLResolver, namespace: str = "", converters: dict | None = None
) -> list[tuple[str, dict[str, Any], Any]]:
    """(name, converters, pattern) of every URL pattern, with the converters of its prefixes."""
    found = []
    for pattern in resolver.url_patterns:
        inner = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _patterns(pattern, space, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((f"{namespace}{pattern.name}", inner, pattern.pattern))
    return found


def _admin_cases() -> list[_Case]:
    """Django's admin with real objects: each model's list, add, change, history and delete."""
    cases = [_Case("admin:index", reverse("admin:index"), admin=True)]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        cases.append(_Case(f"{prefix}_changelist", reverse(f"{prefix}_changelist"), True))
        cases.append(_Case(f"{prefix}_add", reverse(f"{prefix}_add"), True))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            for view in ("change", "history", "delete"):
                cases.append(
                    _Case(f"{prefix}_{view}", reverse(f"{prefix}_{view}", args=[first.pk]), True)
                )
    for label in sorted({m._meta.app_label for m in admin.site._registry}):
        cases.append(_Case("admin:app_list", reverse("admin:app_list", args=[label]), True))
    cases += [_Case(name, reverse(name), True) for name in sorted(ADMIN_EXTRA_PAGES)]
    return cases


def _boundary_cases(fixtures: dict[str, Any]) -> list[_Case]:
    """Every pattern with a converter, its values at the edges (and a real object's content type
    for the admin's "view on site")."""
    cases = []
    for name, converters, _pattern in _patterns(get_resolver()):
        if not converters:
            continue
        for index in range(len(BOUNDARY_IDS)):
            kwargs = {}
            for key, converter in converters.items():
                if isinstance(converter, IntConverter):
                    kwargs[key] = BOUNDARY_IDS[index]
                elif isinstance(converter, StringConverter | PathConverter):
                    kwargs[key] = BOUNDARY_STRINGS[index]
                else:
                    kwargs[key] = converter.to_url(1)
            if name == "admin:view_on_site" and index == 1:
                kwargs = {
                    "content_type_id": ContentType.objects.get_for_model(
                        fixtures["meetings"]["published"]
                    ).pk,
                    "object_id": fixtures["meetings"]["published"].pk,
                }
            cases.append(
                _Case(f"{name}@{index}", reverse(name, kwargs=kwargs), name.startswith("admin:"))
            )
    return cases


# ---- the walk -----------------------------------------------------------------------------------


def _rotation(start: int, count: int) -> list[int]:
    return [(start + k) % len(VALUES) for k in range(count)]


def _value_for(kind: str, value: Value) -> Any:
    return ("file", value if isinstance(value, str) else value[0]) if kind == "file" else value


# The walk is cut into parts that pytest-xdist runs side by side: each takes every PARTS-th URL of
# the matrix (and the boundary ids of those URLs' names), reads its pages and sends their forms.
PARTS = 6


@pytest.mark.parametrize("part", range(PARTS))
def test_no_input_gives_a_server_error(client_for, fixtures, part: int, monkeypatch) -> None:
    # Each request empties the cache (a page kept by one must not answer another); the menu's
    # to-do count, which reads nothing of the request, is counted once per account instead.
    count_menu_once_per_account(monkeypatch, {})
    clients = {}
    cookies = {}
    for role in ROLES:
        signed_in = client_for(role)
        clients[role] = Client(raise_request_exception=False)
        cookies[role] = signed_in.cookies
    walk = _Walk(clients, cookies)
    walk.keep_sessions()

    every_case = [
        _Case(name.split("#")[0], build(fixtures), expected=expected)
        for name, (build, expected) in sorted(MATRIX.items())
    ]
    every_case += _admin_cases()
    # The number of a case stays its place in the whole list, so the values' rotation is the same
    # whichever part sends them.
    numbered = [(n, case) for n, case in enumerate(every_case) if n % PARTS == part]
    cases = [case for _, case in numbered]
    part_of_name = {}
    for n, case in enumerate(every_case):
        part_of_name.setdefault(case.name, n % PARTS)

    # 1. Each page plainly, as each role that reaches it: what its forms and links ask for. The
    # authorisation matrix sends the same plain GETs and holds each role's outcome, so the roles
    # it turns away (and the POST-only URLs, 405) are taken from it rather than sent again.
    reachers: dict[str, list[str]] = {}
    query_names: dict[str, set[str]] = {}
    post_targets: dict[str, dict[str, str]] = {}
    post_roles: dict[str, set[str]] = {}
    post_only: set[str] = set()
    for case in cases:
        path = urlsplit(case.url).path
        reachers.setdefault(case.url, [])
        for role in ROLES:
            if case.expected is not None and case.expected[role] != 200:
                if case.expected[role] == 405:
                    post_only.add(path)
                continue
            status, body = walk.check(role, "get", case.url, {})
            if status == 405:
                post_only.add(path)
            if status != 200:
                continue
            reachers[case.url].append(role)
            reader = _PageReader(path)
            reader.feed(body.decode("utf-8", "replace"))
            forms, link_params = reader.result()
            query_names.setdefault(path, set()).update(link_params)
            for form in forms:
                if form.method == "get":
                    query_names.setdefault(form.path, set()).update(form.fields)
                else:
                    post_targets.setdefault(form.path, {}).update(form.fields)
                    post_roles.setdefault(form.path, set()).add(role)

    # 2. Nasty query values.
    for number, case in numbered:
        path = urlsplit(case.url).path
        names = sorted(
            (set(ADMIN_QUERY_PARAMS) if case.admin else set(QUERY_PARAMS))
            | query_names.get(path, set())
        )
        reads = bool(query_names.get(path)) or case.name in READS_QUERY
        export = path.endswith((".pdf", ".xlsx", ".docx", ".zip", ".ics", "/in/"))
        full = reads and not export and not case.admin
        roles = reachers[case.url] or ROLES
        for k, i in enumerate(_rotation(number, len(VALUES) if full else SHARE)):
            role = roles[(number + k) % len(roles)]
            walk.check(role, "get", case.url, dict.fromkeys(names, VALUES[i]))
            if full and k % 2:  # every other value, also mixed with the others
                mixed = {n: VALUES[(i + j) % len(VALUES)] for j, n in enumerate(names)}
                walk.check(role, "get", case.url, mixed)
        # The others are turned away before the view reads anything (the admin's at its door).
        for k, role in enumerate(r for r in ROLES if r not in roles and not case.admin):
            walk.check(
                role, "get", case.url, dict.fromkeys(names, VALUES[(number + k) % len(VALUES)])
            )

    # 3. Nasty form values, to every form's target and every POST-only URL.
    for path in sorted(post_only - set(post_targets)):
        post_targets[path] = {}
    for number, (path, fields) in enumerate(sorted(post_targets.items())):
        kinds = {n: k for n, k in fields.items() if n != "csrfmiddlewaretoken"}
        kinds.update({n: "text" for n in POST_FIELDS if n not in kinds})
        roles = sorted(post_roles.get(path, set()), key=ROLES.index) or ROLES
        full = not path.startswith("/admin/")
        for k, i in enumerate(_rotation(number, len(VALUES) if full else SHARE)):
            role = roles[(number + k) % len(roles)]
            same = {n: _value_for(kind, VALUES[i]) for n, kind in kinds.items()}
            mixed = {
                n: _value_for(kind, VALUES[(i + j) % len(VALUES)])
                for j, (n, kind) in enumerate(kinds.items())
            }
            # Each value alone; every other one also mixed (the admin's: one or the other).
            if full or k % 2 == 0:
                walk.check(role, "post", path, same)
            if k % 2 == 1:
                walk.check(role, "post", path, mixed)

    # 4. Boundary ids, as the roles that reach the real object's page (GET and POST).
    roles_by_name: dict[str, list[str]] = {}
    for case in cases:
        roles_by_name.setdefault(case.name, []).extend(reachers[case.url])
    for number, case in enumerate(_boundary_cases(fixtures)):
        name = case.name.split("@")[0]
        if part_of_name.get(name, number % PARTS) != part:
            continue
        roles = sorted(set(roles_by_name.get(name, [])), key=ROLES.index) or ROLES
        role = roles[number % len(roles)]
        walk.check(role, "get", case.url, {})
        walk.check(role, "post", case.url, {n: VALUES[number % len(VALUES)] for n in POST_FIELDS})

    assert not walk.failures, f"{len(walk.failures)} of {walk.sent} requests failed:\n" + "\n".join(
        walk.failures
    )
