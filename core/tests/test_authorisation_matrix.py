"""Every URL against every role (anonymous, member, unit clerk, unit leader, secretary, clerk,
admin). A URL pattern without a row here fails the suite, so a new page cannot ship unguarded."""

from collections.abc import Callable, Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from calendars.models import CalendarToken
from conftest import (
    ROLES,
    count_menu_once_per_account,
    make_clients,
    make_department,
    make_meetings,
    make_office,
    make_other_department,
    make_role_users,
    rows_for_module,
)
from feedback.models import Feedback

LOGIN = "login"  # 302 to the sign-in page with ?next=
ADMIN_LOGIN = "admin_login"  # 302 to the admin's sign-in page with ?next=
EVERYONE = dict.fromkeys(ROLES)


def signed_in(outcome: Any, anonymous: Any = LOGIN) -> dict[str, Any]:
    return {role: (anonymous if role == "anonymous" else outcome) for role in ROLES}


def only(roles: dict[str, Any], default: Any, anonymous: Any = LOGIN) -> dict[str, Any]:
    return {role: roles.get(role, anonymous if role == "anonymous" else default) for role in ROLES}


# url name -> (a function building the URL from the fixtures, expected outcome per role)
Builder = Callable[[dict[str, Any]], str]
MATRIX: dict[str, tuple[Builder, dict[str, Any]]] = {
    "portal:home": (
        lambda f: reverse("portal:home"),
        signed_in(("redirect", "portal:dashboard"), anonymous=200),
    ),
    "portal:help": (lambda f: reverse("portal:help"), signed_in(200, anonymous=200)),
    "portal:dashboard": (lambda f: reverse("portal:dashboard"), signed_in(200)),
    "accounts:login": (
        lambda f: reverse("accounts:login"),
        signed_in(("redirect", "portal:dashboard"), anonymous=200),
    ),
    "admin_login": (
        lambda f: reverse("admin_login"),
        signed_in(("redirect", "portal:dashboard"), anonymous=200),
    ),
    "accounts:logout": (lambda f: reverse("accounts:logout"), signed_in(405, anonymous=405)),
    # Single sign-on: absent while no provider is configured, as here. With one, every role is
    # sent to the provider or refused with a message (accounts/tests/test_sso.py).
    "accounts:sso_start": (lambda f: reverse("accounts:sso_start"), signed_in(404, anonymous=404)),
    "accounts:sso_callback": (
        lambda f: reverse("accounts:sso_callback"),
        signed_in(404, anonymous=404),
    ),
    "accounts:password_change": (lambda f: reverse("accounts:password_change"), signed_in(200)),
    "accounts:account": (lambda f: reverse("accounts:account"), signed_in(200)),
    # Two-factor sign-in and sessions (B8). The code step answers a pending sign-in only: without
    # one, the anonymous go to sign in and the signed-in (verified, or not enrolled) home. The
    # backup codes show once after enrolment; otherwise back to the account page.
    "accounts:two_factor_verify": (
        lambda f: reverse("accounts:two_factor_verify"),
        signed_in(("redirect", "portal:dashboard"), anonymous=("redirect", "accounts:login")),
    ),
    "accounts:two_factor_setup": (lambda f: reverse("accounts:two_factor_setup"), signed_in(200)),
    "accounts:two_factor_backup_codes": (
        lambda f: reverse("accounts:two_factor_backup_codes"),
        signed_in(("redirect", "accounts:account")),
    ),
    "accounts:two_factor_remove": (
        lambda f: reverse("accounts:two_factor_remove"),
        signed_in(405, anonymous=405),
    ),
    "accounts:session_end": (
        lambda f: reverse("accounts:session_end", args=[1]),
        signed_in(405, anonymous=405),
    ),
    "accounts:sessions_end_others": (
        lambda f: reverse("accounts:sessions_end_others"),
        signed_in(405, anonymous=405),
    ),
    "feedback:list": (lambda f: reverse("feedback:list"), signed_in(200)),
    # Written by the member: the author and the admin see it; for anybody else it does not exist.
    "feedback:detail": (
        lambda f: reverse("feedback:detail", args=[f["feedback"].pk]),
        only({"member": 200, "admin": 200}, default=404),
    ),
    "set_language": (
        lambda f: reverse("set_language"),
        signed_in(("redirect", "portal:home"), anonymous=("redirect", "portal:home")),
    ),
    "favicon": (lambda f: reverse("favicon"), signed_in(301, anonymous=301)),
    # The inbox is each account's own; opening and marking read are POST only.
    "notifications:inbox": (lambda f: reverse("notifications:inbox"), signed_in(200)),
    "notifications:bell": (lambda f: reverse("notifications:bell"), signed_in(200)),
    # How each account receives its notices (e-mail, SMS or both): its own settings.
    "notifications:channels": (lambda f: reverse("notifications:channels"), signed_in(200)),
    "notifications:open": (
        lambda f: reverse("notifications:open", args=[1]),
        signed_in(405, anonymous=405),
    ),
    # Calendars: each account's own meetings; the feed's token is its credential (a calendar
    # program cannot sign in), so whoever holds the member's address gets the member's feed.
    "calendars:week": (lambda f: reverse("calendars:week"), signed_in(200)),
    "calendars:month": (lambda f: reverse("calendars:month"), signed_in(200)),
    "calendars:feed_settings": (lambda f: reverse("calendars:feed_settings"), signed_in(200)),
    "calendars:feed": (
        lambda f: reverse("calendars:feed", args=[f["calendar_token"].token]),
        signed_in(200, anonymous=200),
    ),
    "calendars:feed#unknown": (
        lambda f: reverse("calendars:feed", args=["khong-co-token-nay"]),
        signed_in(404, anonymous=404),
    ),
    "calendars:public_feed": (
        lambda f: reverse("calendars:public_feed"),
        signed_in(200, anonymous=200),
    ),
    "notifications:mark_all_read": (
        lambda f: reverse("notifications:mark_all_read"),
        signed_in(405, anonymous=405),
    ),
    # The monitoring's URLs know no accounts: the matrix's client comes from 127.0.0.1, which the
    # default MONITORING_ALLOWED_IPS allows, so every role gets the same answer, the two-factor
    # step and a forced password change included. From any other address they are a 404
    # (operations/tests/test_access.py).
    "operations:healthz": (lambda f: reverse("operations:healthz"), signed_in(200, anonymous=200)),
    "operations:readyz": (lambda f: reverse("operations:readyz"), signed_in(200, anonymous=200)),
    "operations:metrics": (lambda f: reverse("operations:metrics"), signed_in(200, anonymous=200)),
}

# ---- meetings and documents: object-level cases, "name#case" for a second row of one URL ------
# The fixtures' published meeting invites the department (member, unit clerk, unit leader); the
# office's secretary is its secretary; the office's clerk organises it; the outsider's unit is not
# invited. The draft is the clerk's alone. The admin (the IT centre) has no role in either, so
# neither exists for it (least privilege).
SEES = only({"outsider": 404, "admin": 404}, default=200)
ORGANISES = only({"clerk": 200, "admin": 404, "outsider": 404}, default=403)
ORGANISER_ONLY = only({"clerk": 200}, default=404)
RESTRICTED_READ = only({"member": 404, "admin": 404, "outsider": 404}, default=200)


def _m(name: str, key: str = "published") -> Builder:
    return lambda f: reverse(name, args=[f["meetings"][key].pk])


def _d(name: str, key: str = "document") -> Builder:
    return lambda f: reverse(name, args=[f["meetings"][key].pk])


def _check_in_url(meeting: Any) -> str:
    from attendance.check_in import make_token

    return reverse("attendance:check_in", args=[meeting.pk, make_token(meeting)])


MATRIX.update(
    {
        "meetings:list": (lambda f: reverse("meetings:list"), signed_in(200)),
        "meetings:create": (
            lambda f: reverse("meetings:create"),
            only({"clerk": 200}, default=403),
        ),
        "meetings:detail": (_m("meetings:detail"), SEES),
        "meetings:detail#draft": (_m("meetings:detail", "draft"), ORGANISER_ONLY),
        "meetings:edit": (_m("meetings:edit"), ORGANISES),
        "meetings:edit#draft": (_m("meetings:edit", "draft"), ORGANISER_ONLY),
        "meetings:publish": (_m("meetings:publish", "draft"), ORGANISER_ONLY),
        "meetings:invitees": (_m("meetings:invitees"), ORGANISES),
        "meetings:postpone": (_m("meetings:postpone"), ORGANISES),
        "meetings:cancel": (_m("meetings:cancel"), ORGANISES),
        "meetings:delete": (_m("meetings:delete"), ORGANISES),
        "meetings:delete#draft": (_m("meetings:delete", "draft"), ORGANISER_ONLY),
        # Copying needs the rule for new meetings and sight of this one; repeating, organising it.
        "meetings:copy": (_m("meetings:copy"), ORGANISES),
        "meetings:copy#draft": (_m("meetings:copy", "draft"), ORGANISER_ONLY),
        "meetings:repeat": (_m("meetings:repeat"), ORGANISES),
        "meetings:repeat#draft": (_m("meetings:repeat", "draft"), ORGANISER_ONLY),
        "meetings:series_publish": (_m("meetings:series_publish"), ORGANISES),
        "meetings:receipts": (
            _m("meetings:receipts"),
            only({"clerk": 200, "admin": 404, "secretary": 200, "outsider": 404}, default=403),
        ),
        "meetings:print_invitation": (_m("meetings:print_invitation"), SEES),
        "meetings:print_invitation#draft": (
            _m("meetings:print_invitation", "draft"),
            ORGANISER_ONLY,
        ),
        "meetings:invitation_pdf": (_m("meetings:invitation_pdf"), SEES),
        "meetings:invitation_pdf#draft": (_m("meetings:invitation_pdf", "draft"), ORGANISER_ONLY),
        "meetings:invitation_docx": (_m("meetings:invitation_docx"), SEES),
        "meetings:invitation_docx#draft": (
            _m("meetings:invitation_docx", "draft"),
            ORGANISER_ONLY,
        ),
        "meetings:print_documents": (_m("meetings:print_documents"), SEES),
        "meetings:add_documents": (_m("meetings:add_documents"), ORGANISES),
        "meetings:add_documents#draft": (_m("meetings:add_documents", "draft"), ORGANISER_ONLY),
        "meetings:download_all": (_m("meetings:download_all"), SEES),
        "meetings:download_all#draft": (_m("meetings:download_all", "draft"), ORGANISER_ONLY),
        # The meeting pack (packs/): whoever reads the meeting's documents. Not asked for yet,
        # its download answers its state with 409; asking for it is POST only.
        "packs:state": (_m("packs:state"), SEES),
        "packs:state#draft": (_m("packs:state", "draft"), ORGANISER_ONLY),
        "packs:download": (_m("packs:download"), only({"outsider": 404, "admin": 404}, 409)),
        "packs:download#draft": (_m("packs:download", "draft"), only({"clerk": 409}, 404)),
        "packs:prepare": (_m("packs:prepare"), signed_in(405, anonymous=405)),
        "meetings:schedule": (lambda f: reverse("meetings:schedule"), signed_in(200, 200)),
        "meetings:public_detail": (_m("meetings:public_detail"), signed_in(200, 200)),
        "meetings:public_detail#draft": (
            _m("meetings:public_detail", "draft"),
            signed_in(404, 404),
        ),
        # Attendance: the invited department's leader and clerk reply; the secretary and the
        # organiser take the roll.
        "attendance:reply": (
            _m("attendance:reply"),
            only({"unit_leader": 200, "unit_clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "attendance:reply#draft": (
            _m("attendance:reply", "draft"),
            only({"clerk": 403}, 404),
        ),
        "attendance:rollcall": (
            _m("attendance:rollcall"),
            only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "attendance:mark": (
            lambda f: reverse(
                "attendance:mark",
                args=[
                    f["meetings"]["published"].pk,
                    f["meetings"]["published"].invitations.get().pk,
                ],
            ),
            signed_in(405, anonymous=405),
        ),
        "attendance:figures": (
            _m("attendance:figures"),
            only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "attendance:chair_report": (
            _m("attendance:chair_report"),
            only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "attendance:unit_figures": (
            lambda f: reverse("attendance:unit_figures"),
            only({"clerk": 200, "admin": 200}, 403),
        ),
        # Attendance at the door (B5): whoever takes the roll shows the QR code; a code opens
        # the check-in page for those who see the meeting, which is outside its window here
        # (the meeting starts in ten days): 403 with the reason; the rest do not see the meeting.
        "attendance:check_in_code": (
            _m("attendance:check_in_code"),
            only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "attendance:check_in_code#draft": (
            _m("attendance:check_in_code", "draft"),
            only({"clerk": 403}, 404),
        ),
        "attendance:check_in": (
            lambda f: _check_in_url(f["meetings"]["published"]),
            only({"admin": 404, "outsider": 404}, 403),
        ),
        "attendance:check_in#draft": (
            lambda f: _check_in_url(f["meetings"]["draft"]),
            only({"clerk": 403}, 404),
        ),
        # Comments: whoever sees a published meeting reads and writes them; the secretary and the
        # organiser summarise and export; a comment is changed by its author only.
        "comments:list": (_m("comments:list"), SEES),
        "comments:list#draft": (
            _m("comments:list", "draft"),
            only({"clerk": 403}, 404),
        ),
        "comments:feed": (_m("comments:feed"), SEES),
        "comments:summary": (
            _m("comments:summary"),
            only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "comments:export_pdf": (
            _m("comments:export_pdf"),
            only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "comments:export_docx": (
            _m("comments:export_docx"),
            only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "comments:edit": (
            lambda f: reverse("comments:edit", args=[f["comment"].pk]),
            only({"member": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "comments:file": (lambda f: reverse("comments:file", args=[f["comment"].pk]), SEES),
        "documents:detail": (_d("documents:detail"), SEES),
        "documents:detail#draft": (_d("documents:detail", "draft_document"), ORGANISER_ONLY),
        "documents:edit": (_d("documents:edit"), ORGANISES),
        "documents:replace": (_d("documents:replace"), ORGANISES),
        "documents:delete": (_d("documents:delete"), ORGANISES),
        # The documents list's select (POST only; its roles in documents/tests/test_agenda_items).
        "documents:set_agenda_item": (
            _d("documents:set_agenda_item"),
            signed_in(405, anonymous=405),
        ),
        "documents:download": (_d("documents:download"), SEES),
        "documents:download#draft": (_d("documents:download", "draft_document"), ORGANISER_ONLY),
        # The text read from a document (B3): whoever may read the document.
        "doctext:text": (_d("doctext:text"), SEES),
        "doctext:text#draft": (_d("doctext:text", "draft_document"), ORGANISER_ONLY),
        # The document viewer (B2): whoever reads the document reads it in the page, and the PDF
        # it fetches (the fixtures' documents are PDFs: the bytes); older versions as downloads.
        "viewer:document": (_d("viewer:document"), SEES),
        "viewer:document#draft": (_d("viewer:document", "draft_document"), ORGANISER_ONLY),
        "viewer:version": (_d("viewer:version", "old_version"), ORGANISER_ONLY),
        "viewer:version#current": (
            lambda f: reverse("viewer:version", args=[f["meetings"]["document"].current_id]),
            SEES,
        ),
        "viewer:pdf": (
            lambda f: reverse("viewer:pdf", args=[f["meetings"]["document"].current_id]),
            SEES,
        ),
        "viewer:pdf#old": (_d("viewer:pdf", "old_version"), ORGANISER_ONLY),
        "viewer:status": (
            lambda f: reverse("viewer:status", args=[f["meetings"]["document"].current_id]),
            SEES,
        ),
        # A restricted document (B11) for every invitee, read online only: the organiser side
        # (the clerk, the secretary) and the accounts answering for the department's invitation
        # (its leader, its unit account) read it; the department's member sees the meeting but
        # not the document (404); downloads are the organiser's (403 for its readers).
        "documents:detail#restricted": (
            lambda f: reverse("documents:detail", args=[f["restricted"].pk]),
            RESTRICTED_READ,
        ),
        "documents:download#restricted": (
            lambda f: reverse("documents:download", args=[f["restricted"].pk]),
            only({"clerk": 200, "member": 404, "admin": 404, "outsider": 404}, default=403),
        ),
        "documents:download_version#restricted": (
            lambda f: reverse("documents:download_version", args=[f["restricted"].current_id]),
            only({"clerk": 200, "member": 404, "admin": 404, "outsider": 404}, default=403),
        ),
        # The viewer reads a restricted document's stamped copy (its readers) or the original
        # (its organiser); an open document has no stamped copy.
        "documents:watermarked_pdf": (
            lambda f: reverse(
                "documents:watermarked_pdf", args=[f["meetings"]["document"].current_id]
            ),
            signed_in(404),
        ),
        "documents:watermarked_pdf#restricted": (
            lambda f: reverse("documents:watermarked_pdf", args=[f["restricted"].current_id]),
            RESTRICTED_READ,
        ),
        "viewer:document#restricted": (
            lambda f: reverse("viewer:document", args=[f["restricted"].pk]),
            RESTRICTED_READ,
        ),
        "viewer:pdf#restricted": (
            lambda f: reverse("viewer:pdf", args=[f["restricted"].current_id]),
            only({"clerk": 200}, default=404),
        ),
        "documents:edit#restricted": (
            lambda f: reverse("documents:edit", args=[f["restricted"].pk]),
            only({"clerk": 200, "member": 404, "admin": 404, "outsider": 404}, default=403),
        ),
        # Older versions are the organiser's; invited accounts get the current one only.
        "documents:download_version": (
            _d("documents:download_version", "old_version"),
            ORGANISER_ONLY,
        ),
        "documents:download_version#current": (
            lambda f: reverse(
                "documents:download_version", args=[f["meetings"]["document"].current_id]
            ),
            SEES,
        ),
    }
)

# ---- voting (B6): a named vote open on the published meeting and a closed one. Whoever sees the
# meeting sees its votes; the secretary and the organiser open, close and watch the count; casting
# and closing are POST only; the result's PDF once the vote is closed.
VOTE_MANAGERS = only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403)


def _v(name: str, key: str = "vote") -> Builder:
    return lambda f: reverse(name, args=[f[key].pk])


MATRIX.update(
    {
        "voting:list": (_m("voting:list"), SEES),
        "voting:list#draft": (_m("voting:list", "draft"), only({"clerk": 403}, 404)),
        "voting:create": (_m("voting:create"), VOTE_MANAGERS),
        "voting:create#draft": (_m("voting:create", "draft"), only({"clerk": 403}, 404)),
        "voting:detail": (_v("voting:detail"), SEES),
        "voting:detail#closed": (_v("voting:detail", "vote_closed"), SEES),
        "voting:cast": (_v("voting:cast"), signed_in(405, anonymous=405)),
        "voting:close": (_v("voting:close"), signed_in(405, anonymous=405)),
        "voting:live": (_v("voting:live"), VOTE_MANAGERS),
        "voting:outcome": (_v("voting:outcome"), SEES),
        "voting:outcome#closed": (_v("voting:outcome", "vote_closed"), SEES),
        "voting:pdf": (_v("voting:pdf"), only({"admin": 404, "outsider": 404}, 403)),
        "voting:pdf#closed": (_v("voting:pdf", "vote_closed"), SEES),
    }
)


def _votes(role_users: dict[str, Any], meetings: dict[str, Any]) -> dict[str, Any]:
    from voting import services as voting

    meeting, clerk = meetings["published"], role_users["clerk"]
    closed = voting.vote_open(meeting=meeting, by=clerk, question="Thông qua chương trình họp")
    return {
        "vote_closed": voting.vote_close(vote=closed, by=clerk),
        "vote": voting.vote_open(meeting=meeting, by=clerk, question="Thông qua kế hoạch năm"),
    }


# ---- digital signatures (B14): signing a record of a model that is not registered, and a signed
# PDF that does not exist, are 404 for everybody signed in; for a registered record the registry's
# own rules decide (signatures/tests test signing and downloading in full).
MATRIX.update(
    {
        "signatures:sign": (
            lambda f: reverse("signatures:sign", args=["documents.download", 1]),
            signed_in(404),
        ),
        "signatures:download": (
            lambda f: reverse("signatures:download", args=[999999]),
            signed_in(404),
        ),
        # The approved minutes (registered by minutes): whoever reads them may open the page
        # only if they approve them (no role here does: 403); the others do not see them.
        "signatures:sign#minutes": (
            lambda f: reverse("signatures:sign", args=["minutes.minutes", f["minutes"].pk]),
            only({"admin": 404, "outsider": 404}, 403),
        ),
    }
)


# ---- written opinions (B13): the office's clerk sent a request to the department (its leader and
# unit clerk answer for it) and keeps a draft. The office's clerk follows both; the recipients see
# the sent one and answer it (POST), but neither edit it nor read the summary (403); a draft and
# everybody else's requests do not exist for them (404).
OPINION_RECIPIENTS = {"clerk": 200, "unit_leader": 200, "unit_clerk": 200}
OPINION_FOLLOWERS = only({"clerk": 200, "unit_leader": 403, "unit_clerk": 403}, 404)


def _o(name: str, key: str = "opinion") -> Builder:
    return lambda f: reverse(name, args=[f[key].pk])


MATRIX.update(
    {
        "opinions:waiting": (lambda f: reverse("opinions:waiting"), signed_in(200)),
        "opinions:sent": (lambda f: reverse("opinions:sent"), only({"clerk": 200}, 403)),
        "opinions:create": (lambda f: reverse("opinions:create"), only({"clerk": 200}, 403)),
        "opinions:detail": (_o("opinions:detail"), only(OPINION_RECIPIENTS, 404)),
        "opinions:detail#draft": (
            _o("opinions:detail", "opinion_draft"),
            only({"clerk": 200}, 404),
        ),
        "opinions:edit": (
            _o("opinions:edit"),
            only({"clerk": 403, "unit_leader": 403, "unit_clerk": 403}, 404),
        ),
        "opinions:edit#draft": (_o("opinions:edit", "opinion_draft"), only({"clerk": 200}, 404)),
        "opinions:send": (_o("opinions:send"), signed_in(405, anonymous=405)),
        "opinions:close": (_o("opinions:close"), signed_in(405, anonymous=405)),
        # The address answers were once sent to: a GET opens the request's page.
        "opinions:answer": (
            _o("opinions:answer"),
            only({"clerk": 302, "unit_leader": 302, "unit_clerk": 302}, 404),
        ),
        "opinions:summary": (_o("opinions:summary"), OPINION_FOLLOWERS),
        "opinions:summary_docx": (_o("opinions:summary_docx"), OPINION_FOLLOWERS),
        "opinions:summary_pdf": (_o("opinions:summary_pdf"), OPINION_FOLLOWERS),
        "opinions:file": (_o("opinions:file", "opinion_file"), only(OPINION_RECIPIENTS, 404)),
    }
)


def _opinions(role_users: dict[str, Any]) -> dict[str, Any]:
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.tests.factories import pdf_bytes
    from opinions import services as opinions

    clerk, department = role_users["clerk"], role_users["unit_leader"].unit
    ask = {
        "by": clerk,
        "description": "",
        "deadline": timezone.now() + timedelta(days=3),
        "questions": ["Thông qua dự thảo quy chế"],
        "addressees": opinions.Addressees(units=[department]),
    }
    sent = opinions.request_create(
        title="Lấy ý kiến quy chế",
        files=[SimpleUploadedFile("Dự thảo.pdf", pdf_bytes())],
        **ask,
    )
    return {
        "opinion": opinions.request_send(request=sent, by=clerk),
        "opinion_file": sent.attachments.get(),
        "opinion_draft": opinions.request_create(title="Dự thảo phiếu", **ask),
    }


# ---- minutes (B7): the published meeting's minutes, approved at version 1, with a draft version
# 2 waiting. Whoever sees the meeting reads the approved minutes and downloads them; the secretary
# and the organiser edit, regenerate and read every version; only the chair approves (this meeting
# names none and its organiser unit's leader is not among the roles: a 403 for all who see it).
# Starting and returning are POST only. A draft meeting has no minutes.
MINUTES_MAKERS = only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403)


def _mn(name: str, *extra: object, key: str = "published") -> Builder:
    return lambda f: reverse(name, args=[f["meetings"][key].pk, *extra])


MATRIX.update(
    {
        "minutes:detail": (_mn("minutes:detail"), SEES),
        "minutes:detail#draft": (_mn("minutes:detail", key="draft"), only({"clerk": 403}, 404)),
        "minutes:start": (_mn("minutes:start"), signed_in(405, anonymous=405)),
        "minutes:edit": (_mn("minutes:edit"), MINUTES_MAKERS),
        "minutes:edit#draft": (_mn("minutes:edit", key="draft"), only({"clerk": 403}, 404)),
        "minutes:regenerate": (_mn("minutes:regenerate"), MINUTES_MAKERS),
        "minutes:approve": (_mn("minutes:approve"), only({"admin": 404, "outsider": 404}, 403)),
        "minutes:return": (_mn("minutes:return"), signed_in(405, anonymous=405)),
        "minutes:version": (_mn("minutes:version", 1), MINUTES_MAKERS),
        "minutes:export": (_mn("minutes:export", "docx"), SEES),
        "minutes:export#draft": (
            _mn("minutes:export", "docx", key="draft"),
            only({"clerk": 403}, 404),
        ),
        "minutes:version_export": (_mn("minutes:version_export", 2, "docx"), MINUTES_MAKERS),
    }
)


def _minutes(role_users: dict[str, Any], meetings: dict[str, Any]) -> dict[str, Any]:
    from minutes.models import Minutes, MinutesVersion

    minutes = Minutes.objects.create(meeting=meetings["published"], number="1/BB-VPUBND")
    text = {"subject": "Cuộc họp", "attendance": "Thành phần", "proceedings": "Nội dung"}
    by = role_users["secretary"]
    approved = MinutesVersion.objects.create(minutes=minutes, number=1, by=by, **text)
    MinutesVersion.objects.create(minutes=minutes, number=2, by=by, **text, conclusions="Sửa")
    minutes.approved_version, minutes.approved_at = approved, timezone.now()
    minutes.approved_by = role_users["clerk"]
    minutes.save()
    return {"minutes": minutes}


# ---- approved exports (D1): the office's clerk asked for both; the admin approved one ----------
# Only the requester and the approvers (admins; leaders of the requester's unit, none here: the
# fixtures' unit leader leads STC) know a request exists; only the requester downloads, never the
# admin who approved it. Only clerks ask for an archive: it holds documents and comments.


def _x(name: str, key: str) -> Builder:
    return lambda f: reverse(name, args=[f[key].pk])


MATRIX.update(
    {
        "exports:list": (
            lambda f: reverse("exports:list"),
            only({"clerk": 200, "admin": 200, "unit_leader": 200}, 403),
        ),
        "exports:create": (
            lambda f: reverse("exports:create"),
            only({"clerk": 200}, 403),
        ),
        "exports:detail": (
            _x("exports:detail", "export_pending"),
            only({"clerk": 200, "admin": 200}, 404),
        ),
        "exports:detail#approved": (
            _x("exports:detail", "export_approved"),
            only({"clerk": 200, "admin": 200}, 404),
        ),
        "exports:decide": (
            _x("exports:decide", "export_pending"),
            only({"clerk": 403, "admin": 200}, 404),
        ),
        # Decided already: the approver is sent back to the request's page.
        "exports:decide#approved": (
            _x("exports:decide", "export_approved"),
            only({"clerk": 403, "admin": 302}, 404),
        ),
        "exports:download": (
            _x("exports:download", "export_approved"),
            only({"clerk": 200}, 404),
        ),
        "exports:download#pending": (_x("exports:download", "export_pending"), only({}, 404)),
    }
)

# ---- reports (S3, A3): the province's figures for the admin and the office's clerk; a unit's own
# for its leader and its unit account (the outsider's unit too); none for a member or secretary. ---
REPORTERS = only(
    {"unit_clerk": 200, "unit_leader": 200, "clerk": 200, "admin": 200, "outsider": 200}, 403
)
MATRIX.update(
    {
        f"reports:{name}": ((lambda f, name=name: reverse(f"reports:{name}")), REPORTERS)
        for name in [
            "statistics",
            "statistics_print",
            "statistics_xlsx",
            "statistics_pdf",
            "usage",
            "usage_print",
            "usage_xlsx",
            "usage_pdf",
        ]
    }
)
# Sign-ins name people and addresses: the admin (all) and a unit's leader (its own unit).
MATRIX.update(
    {
        f"reports:{name}": (
            (lambda f, name=name: reverse(f"reports:{name}")),
            only({"unit_leader": 200, "admin": 200}, 403),
        )
        for name in ["login_log", "login_log_xlsx"]
    }
)

# ---- the REST API (B4) and its tokens page --------------------------------------------------
# The API answers a token only (Authorization: Bearer), never the session cookie: signed in or
# not, a browser's GET is a 401 (publishing is POST only: 405). What each role's token may do is
# api/tests/test_api_matrix.py. The description and its docs page are public.
API_401 = signed_in(401, anonymous=401)


def _api(name: str, key: str = "") -> Builder:
    if not key:
        return lambda f: reverse(f"api_v1:{name}")
    return lambda f: reverse(f"api_v1:{name}", args=[f["meetings"][key].pk])


MATRIX.update(
    {
        "api:tokens": (lambda f: reverse("api:tokens"), signed_in(200)),
        "api:token_revoke": (
            lambda f: reverse("api:token_revoke", args=[1]),
            signed_in(405, anonymous=405),
        ),
        # django-ninja's root only anchors the API's paths: a 404 for everybody.
        "api_v1:api-root": (_api("api-root"), signed_in(404, anonymous=404)),
        "api_v1:openapi-json": (_api("openapi-json"), signed_in(200, anonymous=200)),
        "api_v1:openapi-view": (_api("openapi-view"), signed_in(200, anonymous=200)),
        "api_v1:me": (_api("me"), API_401),
        "api_v1:calendar": (_api("calendar"), API_401),
        "api_v1:meeting_list": (_api("meeting_list"), API_401),
        "api_v1:meeting_create": (_api("meeting_create"), API_401),
        "api_v1:meeting_detail": (_api("meeting_detail", "published"), API_401),
        "api_v1:meeting_invitees": (_api("meeting_invitees", "published"), API_401),
        "api_v1:meeting_invite": (_api("meeting_invite", "published"), API_401),
        "api_v1:meeting_calendar": (_api("meeting_calendar", "published"), API_401),
        "api_v1:meeting_documents": (_api("meeting_documents", "published"), API_401),
        "api_v1:meeting_document_add": (_api("meeting_document_add", "published"), API_401),
        "api_v1:meeting_publish": (
            _api("meeting_publish", "draft"),
            signed_in(405, anonymous=405),
        ),
        "api_v1:document_download": (_api("document_download", "document"), API_401),
        "api_v1:meeting_pack": (_api("meeting_pack", "published"), API_401),
        "api_v1:meeting_pack_prepare": (_api("meeting_pack_prepare", "published"), API_401),
        "api_v1:meeting_pack_download": (_api("meeting_pack_download", "published"), API_401),
    }
)


# ---- in the room (B6, B10): the secretary and the organiser run the published meeting; whoever
# sees it opens the screen and the page to ask to speak (asking needs a present mark, refused by
# POST). Actions are POST only. A draft runs nowhere. ------------------------------------------
RUNS_ROOM = only({"secretary": 200, "clerk": 200, "admin": 404, "outsider": 404}, 403)


def _room(name: str, *extra: int) -> Builder:
    return lambda f: reverse(name, args=[f["meetings"]["published"].pk, *extra])


MATRIX.update(
    {
        "room:control": (_room("room:control"), RUNS_ROOM),
        "room:control#draft": (_m("room:control", "draft"), only({"clerk": 403}, 404)),
        "room:control_panel": (_room("room:control_panel"), RUNS_ROOM),
        "room:speak": (_room("room:speak"), SEES),
        "room:speak#draft": (_m("room:speak", "draft"), ORGANISER_ONLY),
        "room:screen": (_room("room:screen"), SEES),
        "room:screen#draft": (_m("room:screen", "draft"), only({"clerk": 403}, 404)),
        "room:screen_fragment": (_room("room:screen_fragment"), SEES),
        # The banner of calls (a vote to cast, the floor given): whoever sees the meeting; the
        # dashboard's, for every meeting, any signed-in account.
        "room:calls": (_room("room:calls"), SEES),
        "room:calls#draft": (_m("room:calls", "draft"), ORGANISER_ONLY),
        "room:my_calls": (lambda f: reverse("room:my_calls"), signed_in(200)),
        **{
            f"room:{name}": (_room(f"room:{name}", *extra), signed_in(405, anonymous=405))
            for name, extra in [
                ("start_item", (1,)),
                ("set_minutes", ()),
                ("add_minute", ()),
                ("close_turn", ()),
                ("give_floor", (1,)),
                ("move", (1,)),
                ("drop", (1,)),
                ("withdraw", (1,)),
            ]
        },
    }
)


# ---- personal notes (B11): each account's own page and exports; a document's notes for whoever
# sees the document (its own and its unit's shared ones); changing and deleting are POST only. ---
MATRIX.update(
    {
        # Reading offline: the keep-list follows the meeting's rule; the check answers each
        # account about its own device; the manifest and the service worker are public files.
        "offline:keep_list": (_m("offline:keep_list"), SEES),
        "offline:keep_list#draft": (_m("offline:keep_list", "draft"), ORGANISER_ONLY),
        # The meeting pack's reading page (kept with the pack): as the pack's state.
        "offline:pack_reader": (_m("offline:pack_reader"), SEES),
        "offline:pack_reader#draft": (_m("offline:pack_reader", "draft"), ORGANISER_ONLY),
        "offline:check": (lambda f: reverse("offline:check"), signed_in(200)),
        "offline:manifest": (lambda f: reverse("offline:manifest"), signed_in(200, anonymous=200)),
        "offline:service_worker": (
            lambda f: reverse("offline:service_worker"),
            signed_in(200, anonymous=200),
        ),
        "notes:mine": (lambda f: reverse("notes:mine"), signed_in(200)),
        "notes:export_pdf": (lambda f: reverse("notes:export_pdf"), signed_in(200)),
        "notes:export_docx": (lambda f: reverse("notes:export_docx"), signed_in(200)),
        "notes:document": (_d("notes:document"), SEES),
        "notes:document#draft": (_d("notes:document", "draft_document"), ORGANISER_ONLY),
        "notes:update": (
            lambda f: reverse("notes:update", args=[1]),
            signed_in(405, anonymous=405),
        ),
        "notes:delete": (
            lambda f: reverse("notes:delete", args=[1]),
            signed_in(405, anonymous=405),
        ),
    }
)


# ---- conclusion notices and tasks (B12): on the published meeting, an issued notice giving the
# department a task (with a reported file) and a draft notice. The office (the organising clerk,
# the meeting's secretary) writes, issues and decides; the department reads its task; the outsider
# and the admin have no part in them. Actions are POST only. Boards: a unit's for every account
# with a unit but the admin's; the office's for clerks and secretaries.
TASK_OFFICE = only({"clerk": 200, "secretary": 200}, 404)
TASK_UNIT_BOARD = only({"admin": 403}, 200)
TASK_OFFICE_BOARD = only({"clerk": 200, "secretary": 200}, 403)


def _t(name: str, key: str) -> Builder:
    return lambda f: reverse(name, args=[f[key].pk])


MATRIX.update(
    {
        "tasks:notice_create": (
            _m("tasks:notice_create"),
            only({"clerk": 200, "secretary": 200, "admin": 404, "outsider": 404}, 403),
        ),
        "tasks:notice_create#draft": (
            _m("tasks:notice_create", "draft"),
            only({"clerk": 403}, 404),
        ),
        "tasks:notice_detail": (_t("tasks:notice_detail", "notice"), SEES),
        "tasks:notice_detail#draft": (_t("tasks:notice_detail", "notice_draft"), TASK_OFFICE),
        "tasks:notice_edit": (
            _t("tasks:notice_edit", "notice"),
            only({"admin": 404, "outsider": 404}, 403),
        ),
        "tasks:notice_edit#draft": (_t("tasks:notice_edit", "notice_draft"), TASK_OFFICE),
        "tasks:notice_issue": (
            _t("tasks:notice_issue", "notice_draft"),
            signed_in(405, anonymous=405),
        ),
        "tasks:notice_pdf": (_t("tasks:notice_pdf", "notice"), SEES),
        "tasks:notice_pdf#draft": (_t("tasks:notice_pdf", "notice_draft"), TASK_OFFICE),
        "tasks:notice_docx": (_t("tasks:notice_docx", "notice"), SEES),
        "tasks:notice_docx#draft": (_t("tasks:notice_docx", "notice_draft"), TASK_OFFICE),
        "tasks:detail": (_t("tasks:detail", "task"), SEES),
        "tasks:detail#draft": (_t("tasks:detail", "task_draft"), TASK_OFFICE),
        "tasks:report": (_t("tasks:report", "task"), signed_in(405, anonymous=405)),
        "tasks:accept": (_t("tasks:accept", "task"), signed_in(405, anonymous=405)),
        "tasks:return": (_t("tasks:return", "task"), signed_in(405, anonymous=405)),
        "tasks:file": (_t("tasks:file", "task_file"), SEES),
        "tasks:board": (lambda f: reverse("tasks:board"), TASK_UNIT_BOARD),
        "tasks:board_xlsx": (lambda f: reverse("tasks:board_xlsx"), TASK_UNIT_BOARD),
        "tasks:office_board": (lambda f: reverse("tasks:office_board"), TASK_OFFICE_BOARD),
        "tasks:office_board_xlsx": (
            lambda f: reverse("tasks:office_board_xlsx"),
            TASK_OFFICE_BOARD,
        ),
    }
)


def _tasks(role_users: dict[str, Any], meetings: dict[str, Any]) -> dict[str, Any]:
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.tests.factories import pdf_bytes
    from tasks import services as tasks
    from tasks.models import TaskFile

    meeting, clerk = meetings["published"], role_users["clerk"]
    unit = role_users["unit_clerk"].unit
    deadline = timezone.localdate() + timedelta(days=7)

    def notice(title: str) -> Any:
        return tasks.notice_create(
            meeting=meeting,
            by=clerk,
            data={"body": "Kết luận của chủ trì cuộc họp."},
            tasks=[tasks.TaskData(title=title, unit=unit, deadline=deadline)],
        )

    issued = tasks.notice_issue(notice=notice("Rà soát kế hoạch"), by=clerk)
    draft = notice("Dự thảo nhiệm vụ")
    task = issued.tasks.get()
    tasks.task_report(
        task=task,
        by=role_users["unit_clerk"],
        note="Tiến độ",
        files=[SimpleUploadedFile("Báo cáo.pdf", pdf_bytes())],
    )
    return {
        "notice": issued,
        "notice_draft": draft,
        "task": task,
        "task_draft": draft.tasks.get(),
        "task_file": TaskFile.objects.get(step__task=task),
    }


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and not namespace.startswith("admin:"):
            names.append(
                f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"
            )
    return names


def test_every_url_has_a_row() -> None:
    names = [n for n in _url_names(get_resolver()) if not n.startswith("admin:")]
    missing = sorted(set(names) - {n.split("#")[0] for n in MATRIX})
    assert not missing, f"URL patterns without a row in the authorisation matrix: {missing}"
    stale = sorted({n.split("#")[0] for n in MATRIX} - set(names))
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.fixture
def fixtures(role_users, meetings) -> dict[str, Any]:
    return build_fixtures(role_users, meetings)


@pytest.fixture(scope="module")
def _shared(
    django_db_setup, django_db_blocker
) -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, SimpleCookie]]]:
    """The role users, `fixtures` and each role's signed-in session, made once for the module's
    thousands of requests, which only read them (each request's writes are rolled back after its
    test)."""
    _MENU_COUNTS.clear()
    with rows_for_module(django_db_blocker):
        users = make_role_users(make_office(), make_department(), make_other_department())
        fixtures = build_fixtures(users, make_meetings(users, users["member"].unit))
        signed_in = make_clients(users)
        yield users, fixtures, {role: signed_in(role).cookies for role in ROLES}


_MENU_COUNTS: dict[int, int] = {}


@pytest.fixture
def shared_client_for(db, _shared, monkeypatch) -> Callable[[str], Any]:
    """A new client for the role, on the role's session made once (`_shared`); the menu's to-do
    count of each account is counted once for the module (the rows stay as they are)."""
    count_menu_once_per_account(monkeypatch, _MENU_COUNTS)

    def client(role: str) -> Client:
        made = Client()
        made.cookies = SimpleCookie({k: m.value for k, m in _shared[2][role].items()})
        return made

    return client


@pytest.fixture
def shared_fixtures(db, _shared) -> dict[str, Any]:
    return _shared[1]


def build_fixtures(role_users: dict[str, Any], meetings: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from comments.services import comment_add
    from meetings.tests.factories import pdf_bytes

    return {
        "meetings": meetings,
        "comment": comment_add(
            meeting=meetings["published"],
            by=role_users["member"],
            body="Đề nghị bổ sung số liệu quý III.",
            uploaded=SimpleUploadedFile("Số liệu.pdf", pdf_bytes()),
        ),
        "calendar_token": CalendarToken.objects.create(user=role_users["member"]),
        "feedback": Feedback.objects.create(
            author=role_users["member"], subject="Lỗi hiển thị", body="Nội dung"
        ),
        **_exports(role_users, meetings),
        **_votes(role_users, meetings),
        **_tasks(role_users, meetings),
        **_minutes(role_users, meetings),
        **_opinions(role_users),
        "restricted": _restricted(role_users, meetings),
    }


def _restricted(role_users: dict[str, Any], meetings: dict[str, Any]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import Metadata, document_add
    from meetings.tests.factories import pdf_bytes

    return document_add(
        meeting=meetings["published"],
        by=role_users["clerk"],
        uploaded=SimpleUploadedFile("Hạn chế.pdf", pdf_bytes("han che")),
        metadata=Metadata(restricted=True),
    )


def _exports(role_users: dict[str, Any], meetings: dict[str, Any]) -> dict[str, Any]:
    from datetime import timedelta

    from exports import services as exports

    day = timezone.localdate(meetings["published"].start_at)
    ask = {"by": role_users["clerk"], "date_from": day - timedelta(days=1), "date_to": day}
    approved = exports.export_request(**ask, purpose="Nộp lưu hồ sơ")
    exports.export_approve(export=approved, by=role_users["admin"])
    return {
        "export_pending": exports.export_request(**ask, purpose="Phục vụ thanh tra"),
        "export_approved": approved,
    }


def _check(response: Any, expected: Any, url: str) -> None:
    where = f"{url} -> {response.status_code} {response.get('Location', '')}"
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), where
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("admin_login") + "?next="), where
    elif isinstance(expected, tuple) and expected[0] == "redirect":
        assert response.status_code == 302, where
        assert response["Location"] == reverse(expected[1]), where
    else:
        assert response.status_code == expected, where


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name: str, role: str, shared_client_for, shared_fixtures) -> None:
    build, expected = MATRIX[name]
    url = build(shared_fixtures)
    _check(shared_client_for(role).get(url), expected[role], url)


# ---- Django's admin: only the IT centre's admins get in ----------------------------------
# Pages that even an admin may not use: the records are evidence or come from sign-ins.
ADMIN_READ_ONLY_ADD = {
    "accounts.loginevent",
    "feedback.feedback",
    "auditlog.logentry",
    "meetings.meeting",
    "documents.document",
    "documents.download",
    "notifications.outboxmessage",
    "signatures.signedpdf",
}


# Registered by Django itself; the product keeps no permission groups.
NOT_THE_IT_CENTRES = {"auth.group"}


# Pages of the admin besides each model's list and form: the model they belong to.
ADMIN_EXTRA_PAGES = {"admin:auditlog_logentry_export": "auditlog.logentry"}


def _admin_pages() -> list[tuple[str, str]]:
    pages = [("admin:index", "index")]
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        pages.append((f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", label))
        pages.append((f"admin:{model._meta.app_label}_{model._meta.model_name}_add", label))
    return pages + sorted(ADMIN_EXTRA_PAGES.items())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "label"), _admin_pages())
def test_admin_matrix(name: str, label: str, role: str, shared_client_for) -> None:
    url = reverse(name)
    response = shared_client_for(role).get(url)
    if role == "admin":
        expected = 403 if name.endswith("_add") and label in ADMIN_READ_ONLY_ADD else 200
        if label in NOT_THE_IT_CENTRES:
            expected = 403
        _check(response, expected, url)
    else:
        _check(response, ADMIN_LOGIN, url)
