"""Search (S2): Vietnamese without regard to case or diacritics (đ as d), title matches first,
filters in the URL, bad input answered with a message, the public search on public fields only."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.paging import Lazy, read
from core.text import fold
from doctext.selectors import search_meetings
from documents.services import document_add
from meetings.models import Meeting
from meetings.selectors import meetings_visible_to, with_row_data
from meetings.tests.factories import make_meeting, pdf_bytes, publish

pytestmark = pytest.mark.django_db

PAPERLESS = "Triển khai họp không giấy tại các sở, ngành"
AGENDA_ONLY = "Giao ban tháng 11"
ROAD = "Đường tỉnh 782: đền bù giải phóng mặt bằng"


@pytest.fixture
def meetings(role_users, department):
    clerk = role_users["clerk"]
    made = {
        "paperless": publish(make_meeting(by=clerk, units=[department], title=PAPERLESS), clerk),
        "agenda": publish(
            make_meeting(
                by=clerk,
                units=[department],
                title=AGENDA_ONLY,
                agenda="Báo cáo tiến độ họp không giấy; kế hoạch tháng 12.",
                days_ahead=12,
            ),
            clerk,
        ),
        "road": publish(make_meeting(by=clerk, units=[department], title=ROAD), clerk),
    }
    return made


def titles(response) -> list[str]:
    return [m.title for m in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("HỌP KHÔNG GIẤY", "hop khong giay"),
        ("họp   không giấy", "hop khong giay"),
        ("Đường Đất đỏ", "duong dat do"),
        ("Ủy ban – Uỷ ban", "uy ban – uy ban"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    "query", ["hop khong giay", "HỌP KHÔNG GIẤY", "họp không giấy", "Hop Khong Giay", "giấy họp"]
)
def test_diacritics_and_case_find_the_same_meetings_title_first(client_for, meetings, query):
    response = client_for("member").get(reverse("meetings:list"), {"q": query})
    assert titles(response) == [PAPERLESS, AGENDA_ONLY]  # title match first, then the agenda's


@pytest.mark.parametrize("query", ["duong tinh 782", "ĐƯỜNG TỈNH", "đường", "den bu"])
def test_d_and_dj_are_the_same_letter(client_for, meetings, query):
    assert titles(client_for("member").get(reverse("meetings:list"), {"q": query})) == [ROAD]


@pytest.mark.parametrize("query", ["%", "_", "'", "\\", "%_%", "' OR 1=1 --", ".*", "[a-z]", "(("])
def test_metacharacters_are_plain_text(client_for, meetings, query):
    response = client_for("member").get(reverse("meetings:list"), {"q": query})
    assert response.status_code == 200
    assert titles(response) == []


def test_an_empty_query_lists_everything(client_for, meetings):
    response = client_for("member").get(reverse("meetings:list"), {"q": "   "})
    assert sorted(titles(response)) == sorted([PAPERLESS, AGENDA_ONLY, ROAD])


def test_a_ten_thousand_character_query_gets_a_message_not_an_error(client_for, meetings):
    response = client_for("member").get(reverse("meetings:list"), {"q": "họp " * 2500})
    assert response.status_code == 200
    assert "Từ khoá quá dài: tối đa 200 ký tự" in response.content.decode()


def test_filters_are_in_the_url_and_combine(client_for, role_users, meetings, other_department):
    clerk = role_users["clerk"]
    other = publish(
        make_meeting(by=clerk, units=[other_department], title="Họp riêng Sở Kế hoạch"), clerk
    )
    document_add(
        meeting=meetings["road"],
        by=clerk,
        uploaded=SimpleUploadedFile("Phương án đền bù.pdf", pdf_bytes()),
    )
    client = client_for("clerk")
    url = reverse("meetings:list")
    assert titles(client.get(url, {"moi": other_department.pk})) == [other.title]
    assert titles(client.get(url, {"co_tai_lieu": "on"})) == [ROAD]
    day = timezone.localtime(meetings["agenda"].start_at).strftime("%d/%m/%Y")
    assert titles(client.get(url, {"tu": day, "den": day})) == [AGENDA_ONLY]
    assert titles(client.get(url, {"q": "hop", "tu": day})) == [AGENDA_ONLY]
    services_cancel = __import__("meetings.services", fromlist=["x"]).meeting_cancel
    services_cancel(meeting=meetings["road"], by=clerk, reason="Đổi kế hoạch")
    assert titles(client.get(url, {"trang_thai": "cancelled"})) == [ROAD]
    upcoming = titles(client.get(url, {"trang_thai": "upcoming"}))
    assert ROAD not in upcoming and PAPERLESS in upcoming
    # A bad filter is reported and left out; the others still apply.
    response = client.get(url, {"q": "duong", "tu": "31/02/2026", "moi": "abc"})
    assert response.status_code == 200 and titles(response) == [ROAD]
    assert response.context["form"].errors.keys() == {"tu", "moi"}
    # The pager keeps the search.
    for n in range(55):
        make_meeting(by=clerk, units=[other_department], title=f"Họp số {n}")
    page = client.get(url, {"q": "hop so"}).content.decode()
    assert "q=hop+so&amp;page=2" in page


def test_an_invitee_never_finds_what_it_may_not_see(client_for, role_users, meetings):
    clerk = role_users["clerk"]
    draft = make_meeting(by=clerk, units=[], title="Họp không giấy: dự thảo nội bộ")
    assert draft.title not in titles(
        client_for("member").get(reverse("meetings:list"), {"q": "hop khong giay"})
    )
    assert titles(client_for("outsider").get(reverse("meetings:list"), {"q": "hop"})) == []


def test_public_search_uses_public_fields_only(client, role_users, meetings, department):
    clerk = role_users["clerk"]
    hidden = publish(
        make_meeting(by=clerk, units=[department], title="Họp không giấy nội bộ", is_public=False),
        clerk,
    )
    document_add(
        meeting=meetings["road"],
        by=clerk,
        uploaded=SimpleUploadedFile("Báo cáo đền bù bí mật.pdf", pdf_bytes()),
    )
    url = reverse("meetings:schedule")
    found = titles(client.get(url, {"period": "all", "q": "hop khong giay"}))
    assert found == [PAPERLESS]  # the agenda is not public: AGENDA_ONLY is not found by it
    assert hidden.title not in found
    page = client.get(url, {"period": "all", "q": "bi mat"})
    assert titles(page) == [] and "Báo cáo đền bù" not in page.content.decode()
    assert titles(client.get(url, {"period": "all", "q": "duong tinh"})) == [ROAD]


def test_search_columns_follow_edits(role_users, meetings, department):
    from meetings import services

    meeting = Meeting.objects.get(pk=meetings["road"].pk)
    services.meeting_update(
        meeting=meeting,
        by=role_users["clerk"],
        data={
            "title": "Đường tỉnh 785",
            "start_at": meeting.start_at + timedelta(hours=1),
            "end_at": meeting.end_at + timedelta(hours=1),
        },
        revision=meeting.revision,
        invitees=services.Invitees(units=[department]),
    )
    meeting.refresh_from_db()
    assert meeting.search_title == "duong tinh 785"


@pytest.mark.parametrize("walk", [True, False])
def test_the_page_and_the_count_read_parts_built_once(role_users, meetings, walk):
    """A search's parts are built once for each way of reading them: the page and the count,
    read the same way, share them, and read what parts built afresh read."""
    clerk = role_users["clerk"]
    rows = with_row_data(meetings_visible_to(clerk), clerk, also=("search_all",))
    found = search_meetings(rows, {"q": "khong giay"}, clerk, walk=walk)
    page, count = found.parts(51), found.parts(1001)
    assert page is count
    fresh = search_meetings(rows, {"q": "khong giay"}, clerk, walk=walk)._build(
        walk, walk, max(found.words, key=len)
    )
    assert [list(p) for p in page] == [list(p) for p in fresh]
    assert any(list(p) for p in page)


@pytest.mark.parametrize("walk", [True, False])
def test_the_second_part_is_built_only_when_read(role_users, meetings, walk):
    """The meetings holding the words elsewhere than in their title (the second part, the
    documents asked for each word) are built only when the titles do not fill what is read."""
    clerk = role_users["clerk"]
    rows = with_row_data(meetings_visible_to(clerk), clerk, also=("search_all",))
    found = search_meetings(rows, {"q": "khong giay"}, clerk, walk=walk)
    # One page of one row: the paperless meeting's title fills it.
    assert [m.pk for m in read(found, 0, 1)] == [meetings["paperless"].pk]
    (built,) = found._built.values()
    assert built._made.keys() == {0}
    # Two rows: the agenda's meeting is in the second part, which is built then.
    assert [m.pk for m in read(found, 0, 2)] == [meetings["paperless"].pk, meetings["agenda"].pk]
    assert built._made.keys() == {0, 1}


def test_lazy_parts_are_made_once_when_asked():
    made = []

    def maker(n):
        made.append(n)
        return n * 10

    parts = Lazy([lambda: maker(0), lambda: maker(1), lambda: maker(2)])
    assert len(parts) == 3 and made == []
    assert parts[1] == 10 and parts[1] == 10 and made == [1]
    assert parts[-1] == 20 and made == [1, 2]
    for value in parts:
        if value == 0:
            break
    assert made == [1, 2, 0]
    assert list(parts) == [0, 10, 20] and made == [1, 2, 0]
    with pytest.raises(IndexError):
        parts[3]
