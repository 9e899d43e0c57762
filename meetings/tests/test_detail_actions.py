"""The meeting page's actions: grouped by phase (before, in the room, after), one primary action
per phase for each role, the rest secondary or under "Thêm"; postponing, cancelling and deleting
apart, each through its confirmation page."""

import re

from django.urls import reverse

from meetings.tests.factories import make_document


def _actions(client, meeting) -> dict[str, dict[str, list[str]]]:
    """{phase: {"primary": [...], "secondary": [...], "more": [...]}} from the rendered page."""
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    groups = {}
    for phase, body in re.findall(
        r'<section class="[^"]*meeting-actions[^"]*" data-phase="(\w+)"[^>]*>(.*?)</section>',
        page,
        re.S,
    ):
        more = "".join(re.findall(r"<details.*?</details>", body, re.S))
        shown = re.sub(r"<details.*?</details>", "", body, flags=re.S)
        buttons = re.findall(r'<a class="btn ([^"]*)"[^>]*>(.*?)</a>', shown, re.S)

        def text(html: str) -> str:
            return " ".join(
                re.sub(r"<span class=\"visually-hidden\">.*?</span>|<[^>]+>", "", html).split()
            )

        groups[phase] = {
            "primary": [text(t) for c, t in buttons if "btn-primary" in c.split()],
            "secondary": [text(t) for c, t in buttons if "btn-primary" not in c.split()],
            "more": [text(t) for t in re.findall(r"<a [^>]*>(.*?)</a>", more, re.S)],
        }
    return groups


def test_clerk_sees_one_primary_per_phase_and_destructive_actions_apart(client_for, meetings):
    meeting = meetings["published"]
    groups = _actions(client_for("clerk"), meeting)

    assert list(groups) == ["before", "room", "after", "danger"]
    assert groups["before"]["primary"] == ["Theo dõi nhận tài liệu"]
    assert groups["before"]["secondary"] == ["Sửa", "Thêm tài liệu", "Ý kiến góp ý"]
    assert groups["before"]["more"] == ["Sao chép", "Lặp lại"]
    assert groups["room"]["primary"] == ["Điểm danh"]
    assert groups["room"]["secondary"] == ["Điều hành phiên họp", "Biểu quyết: mở, theo dõi"]
    assert groups["room"]["more"] == ["Mã QR điểm danh", "Số liệu dự họp", "Báo cáo cho chủ trì"]
    assert groups["after"]["primary"] == ["Biên bản"]
    assert groups["after"]["secondary"] == ["Lập thông báo kết luận"]
    # Apart, never primary, each one a page that asks for a reason and a confirmation.
    assert groups["danger"]["primary"] == []
    assert groups["danger"]["secondary"] == ["Hoãn họp", "Huỷ họp", "Xoá cuộc họp"]
    page = client_for("clerk").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    danger = re.search(r'data-phase="danger".*?</section>', page, re.S).group(0)
    for name in ("postpone", "cancel", "delete"):
        url = reverse(f"meetings:{name}", args=[meeting.pk])
        assert page.count(f'href="{url}"') == 1 and url in danger
    confirm = client_for("clerk").get(reverse("meetings:cancel", args=[meeting.pk]))
    assert "Xác nhận" in confirm.content.decode() and confirm.status_code == 200


def test_clerk_on_a_draft_publishes_first(client_for, meetings):
    groups = _actions(client_for("clerk"), meetings["draft"])
    assert list(groups) == ["before", "danger"]
    assert groups["before"]["primary"] == ["Phát hành"]
    assert groups["before"]["secondary"] == ["Sửa", "Thêm tài liệu"]
    assert groups["danger"]["secondary"] == ["Xoá cuộc họp"]


def test_secretary_follows_the_receipts_takes_the_roll_drafts_the_minutes(client_for, meetings):
    groups = _actions(client_for("secretary"), meetings["published"])
    assert list(groups) == ["before", "room", "after"]
    assert groups["before"]["primary"] == ["Theo dõi nhận tài liệu"]
    assert groups["before"]["secondary"] == ["Ý kiến góp ý"]
    assert groups["room"]["primary"] == ["Điểm danh"]
    assert groups["after"]["primary"] == ["Biên bản"]
    assert sum(len(g["primary"]) for g in groups.values()) == 3


def test_member_reads_and_votes_without_organiser_actions(client_for, meetings):
    groups = _actions(client_for("member"), meetings["published"])
    assert list(groups) == ["before", "room"]
    assert groups["before"] == {"primary": ["Ý kiến góp ý"], "secondary": [], "more": []}
    assert groups["room"] == {"primary": ["Biểu quyết"], "secondary": [], "more": []}


def test_documents_heading_speaks_of_common_documents_only_when_there_are_some(
    client_for, meetings, role_users
):
    from meetings.models import AgendaItem

    meeting = meetings["published"]
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Báo cáo tình hình")
    meeting.documents.update(agenda_item=item)
    url = reverse("meetings:detail", args=[meeting.pk])

    page = client_for("member").get(url).content.decode()
    assert "dưới đây là tài liệu chung" not in page
    assert "Không có tài liệu chung" in page

    make_document(meeting, role_users["clerk"], "Chung.pdf")
    page = client_for("member").get(url).content.decode()
    assert "dưới đây là tài liệu chung" in page
    assert "Không có tài liệu chung" not in page
