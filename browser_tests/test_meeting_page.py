"""The meeting page as a clerk sees it on a phone and a desktop: actions grouped by phase, the
destructive ones apart, and a document moved to an agenda item from its row (HTMX), then once
more with JavaScript off (the plain form). The meeting has an agenda item and a document title as
long as their forms allow: the page still fits a phone's width (an agenda choice is as wide as its
longest option unless held to the row)."""

import pytest

from accounts.models import Unit, User
from browser_tests.conftest import sign_in, visit
from browser_tests.steps import fits_width, text_of_length
from documents.models import Document
from meetings.models import AgendaItem
from meetings.tests.factories import make_document, make_meeting, publish

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting(demo):
    clerk = User.objects.get(username="vanthu")
    meeting = make_meeting(
        by=clerk,
        title="Họp rà soát tiến độ giải ngân vốn đầu tư công",
        units=list(Unit.objects.filter(is_active=True)[:2]),
        secretary=User.objects.get(username="thuky"),
    )
    for n, title in enumerate(["Báo cáo tiến độ giải ngân", "Kế hoạch điều chuyển vốn"], 1):
        AgendaItem.objects.create(meeting=meeting, position=n, title=title)
    # The longest the agenda's editor takes, and the longest document title.
    last = AgendaItem.objects.create(
        meeting=meeting, position=3, title=text_of_length(2000, "Ý kiến của các sở, ngành: ")
    )
    publish(meeting, clerk)
    make_document(meeting, clerk, "Bao cao giai ngan.pdf")
    long = make_document(meeting, clerk, "Phu luc.pdf")
    long.title = text_of_length(500, "Phụ lục chi tiết danh mục dự án điều chuyển vốn: ")
    long.agenda_item = last  # shown under its item, with the agenda choice beside it
    long.save(update_fields=["title", "agenda_item"])
    return meeting


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_clerk_meeting_page_and_row_select(live_server, meeting, new_context, size) -> None:
    page = new_context(viewport={"width": size[0], "height": size[1]}).new_page()
    sign_in(page, live_server, "vanthu")
    page.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    visit(page, f"meeting-page-clerk-{size[0]}")
    fits_width(page, f"meeting page at {size[0]} px")

    for phase in ("before", "room", "after"):
        assert page.locator(f'[data-phase="{phase}"] a.btn-primary').count() == 1
    danger = page.locator('[data-phase="danger"]')
    assert danger.get_by_role("link", name="Huỷ họp").is_visible()
    # "Thêm" opens without any script of ours: it is a <details>.
    page.locator('[data-phase="room"] summary').click()
    assert page.get_by_role("link", name="Số liệu dự họp").is_visible()

    document = Document.objects.get(meeting=meeting, title="Bao cao giai ngan")
    select = page.get_by_label("Thuộc nội dung họp: Bao cao giai ngan")
    select.select_option(label="2. Kế hoạch điều chuyển vốn")
    page.locator(f"#tai-lieu-{document.pk} [role=status]").wait_for()
    visit(page, f"meeting-page-clerk-saved-{size[0]}")
    document.refresh_from_db()
    assert document.agenda_item.title == "Kế hoạch điều chuyển vốn"


def test_row_select_without_javascript(live_server, meeting, new_context) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "vanthu")
    page.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    document = Document.objects.get(meeting=meeting, title="Bao cao giai ngan")
    page.get_by_label("Thuộc nội dung họp: Bao cao giai ngan").select_option(
        label="1. Báo cáo tiến độ giải ngân"
    )
    with page.expect_navigation():
        page.locator(f"#tai-lieu-{document.pk}").get_by_role("button", name="Lưu").click()
    assert page.url.endswith(f"#tai-lieu-{document.pk}")
    document.refresh_from_db()
    assert document.agenda_item.title == "Báo cáo tiến độ giải ngân"
