"""The IT centre runs the system without reading what its meetings hold: an admin manages
accounts, units and catalogs in Django's admin and reads the logs, but a meeting, its documents
and comments exist for it only where it has a role in that meeting, as for anybody else."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Unit, User
from comments.models import Comment
from comments.services import comment_add
from meetings.tests.factories import make_document, make_meeting, pdf_bytes, publish

SECRET = "Đề nghị giữ kín phương án sáp nhập phòng Tổng hợp"


@pytest.fixture
def meeting_with_comment(role_users, meetings):
    comment = comment_add(
        meeting=meetings["published"],
        by=role_users["member"],
        body=SECRET,
        uploaded=SimpleUploadedFile("Phương án.pdf", pdf_bytes()),
    )
    return meetings["published"], comment


@pytest.mark.django_db
def test_the_admin_gets_404_for_a_meeting_it_has_no_role_in(
    client_for, meetings, meeting_with_comment
) -> None:
    meeting, comment = meeting_with_comment
    admin = client_for("admin")
    for url in (
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:detail", args=[meetings["draft"].pk]),
        reverse("documents:detail", args=[meetings["document"].pk]),
        reverse("documents:download", args=[meetings["document"].pk]),
        reverse("meetings:download_all", args=[meeting.pk]),
        reverse("comments:list", args=[meeting.pk]),
        reverse("comments:file", args=[comment.pk]),
        reverse("comments:export_pdf", args=[meeting.pk]),
    ):
        assert admin.get(url).status_code == 404, url
    listed = admin.get(reverse("meetings:list"))
    assert meeting.title not in listed.content.decode()
    # And it may not create one (what it organised would be its to read).
    assert admin.get(reverse("meetings:create")).status_code == 403


@pytest.mark.django_db
def test_the_admin_reads_what_it_is_invited_to_like_anybody(client_for, role_users, office) -> None:
    clerk = role_users["clerk"]
    meeting = publish(make_meeting(by=clerk, units=[office], title="Họp giao ban văn phòng"), clerk)
    document = make_document(meeting, clerk, "Báo cáo tuần.pdf")
    admin = client_for("admin")
    assert admin.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert admin.get(reverse("documents:download", args=[document.pk])).status_code == 200
    # It is an invitee there, not an organiser.
    assert admin.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403


@pytest.mark.django_db
def test_the_admin_still_manages_accounts_units_and_catalogs(client_for, role_users) -> None:
    admin = client_for("admin")
    for name in (
        "admin:accounts_user_changelist",
        "admin:accounts_unit_changelist",
        "admin:catalogs_meetingtype_changelist",
        "admin:auditlog_logentry_changelist",
        "admin:accounts_loginevent_changelist",
        "admin:notifications_outboxmessage_changelist",
        "admin:feedback_feedback_changelist",
    ):
        assert admin.get(reverse(name)).status_code == 200, name
    response = admin.post(
        reverse("admin:accounts_unit_add"),
        {
            "code": "SNV",
            "name": "Sở Nội vụ",
            "short_name": "SNV",
            "kind": Unit.Kind.DEPARTMENT,
            "order": 10,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.filter(code="SNV", name="Sở Nội vụ").exists()
    member = role_users["member"]
    page = admin.get(reverse("admin:accounts_user_change", args=[member.pk]))
    assert page.status_code == 200
    assert member.username in page.content.decode()


@pytest.mark.django_db
def test_the_audit_log_names_who_changed_a_comment_not_what_it_says(
    client_for, meeting_with_comment
) -> None:
    _meeting, comment = meeting_with_comment
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Comment), object_pk=str(comment.pk)
    )
    assert SECRET in str(entry.changes)  # kept for an inquiry ...
    admin = client_for("admin")
    listing = admin.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    detail = admin.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    searched = admin.get(reverse("admin:auditlog_logentry_changelist"), {"q": "sáp nhập"})
    for page in (listing, detail.content.decode()):
        assert SECRET[:40] not in page  # ... but not shown to the IT centre
        assert "sáp nhập" not in page
    # Nor found by its words.
    assert "0 kết quả" in searched.content.decode()
    assert "Nội dung không hiển thị" in detail.content.decode()


@pytest.mark.django_db
def test_the_admin_list_of_meetings_and_documents_leaves_drafts_out(client_for, meetings) -> None:
    admin = client_for("admin")
    page = admin.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert meetings["published"].title in page
    assert meetings["draft"].title not in page
    documents = admin.get(reverse("admin:documents_document_changelist")).content.decode()
    draft_document = meetings["draft_document"].pk
    assert reverse("admin:documents_document_change", args=[draft_document]) not in documents
    assert reverse("admin:documents_document_change", args=[meetings["document"].pk]) in documents
    draft_page = admin.get(reverse("admin:meetings_meeting_change", args=[meetings["draft"].pk]))
    assert draft_page.status_code in (302, 404)


@pytest.mark.django_db
def test_nobody_is_a_superuser_and_createsuperuser_makes_an_admin(monkeypatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Qu4ntri!Tinh-2026")
    call_command(
        "createsuperuser",
        "--no-input",
        username="trungtamcntt",
        email="cntt@example.gov.vn",
        verbosity=0,
    )
    first = User.objects.get(username="trungtamcntt")
    assert first.role == User.Role.ADMIN
    assert first.is_staff and not first.is_superuser
    assert first.has_perm("accounts.change_user")
    assert not first.has_perm("meetings.add_meeting")
    assert not User.objects.filter(is_superuser=True).exists()
