"""What the API reads and writes, as types: django-ninja turns them into the OpenAPI description."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from core.dates import FIRST_YEAR, LAST_YEAR

# Ids as the database holds them; a larger number is refused before it reaches a query.
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# A tag, a comment or a doctype: JSON consumers (mobile apps, portals) may show these texts as
# HTML, so markup is refused at the door rather than trusted to every reader's escaping.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")


def _no_markup(value: str) -> str:
    if MARKUP.search(value):
        raise PydanticCustomError("no_markup", "markup is not allowed")
    return value


def _in_years(value: date) -> date:
    """The pages' years (core.dates): outside them a date is a typing mistake or a probe."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError("date_out_of_range", "year out of range")
    return value


Text = Annotated[str, AfterValidator(_no_markup)]
Day = Annotated[date, AfterValidator(_in_years)]
Moment = Annotated[datetime, AfterValidator(_in_years)]

Phase = Literal["draft", "upcoming", "in_progress", "ended", "postponed", "cancelled"]


class MeetingFilters(Schema):
    limit: int = Field(20, ge=1, le=100, description="Số cuộc họp mỗi trang (1–100).")
    offset: int = Field(0, ge=0, le=100_000, description="Bỏ qua bao nhiêu cuộc họp đầu.")
    q: Text = Field("", max_length=200, description="Từ khoá (không phân biệt dấu).")
    date_from: Day | None = Field(None, description="Họp từ ngày (YYYY-MM-DD), tính cả ngày này.")
    date_to: Day | None = Field(None, description="Họp đến ngày (YYYY-MM-DD), tính cả ngày này.")
    status: Phase | None = Field(None, description="Trạng thái.")


class MeetingSummaryOut(Schema):
    id: int
    title: str
    status: str
    phase: str
    phase_label: str
    start_at: datetime
    end_at: datetime
    location: str | None
    organiser_unit: str
    type: str
    form: str
    chair: str | None
    is_public: bool
    seen: bool
    url: str


class MeetingPageOut(Schema):
    items: list[MeetingSummaryOut]
    limit: int
    offset: int
    next_offset: int | None


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    presenter: str
    planned_minutes: int | None
    document_ids: list[int]


class MeetingOut(MeetingSummaryOut):
    agenda: str = Field(..., description="Nội dung họp dạng văn bản, mỗi dòng một mục.")
    agenda_items: list[AgendaItemOut] = Field(..., description="Nội dung họp theo thứ tự.")
    field: str | None
    online_link: str
    secretary: str | None
    published_at: datetime | None
    late_reason: str
    status_reason: str
    revision: int
    notice_deadline: datetime
    organiser: bool


class InvitationOut(Schema):
    id: int
    kind: Literal["unit", "committee", "person"]
    invitee_id: int
    name: str
    note: str


class PackOut(Schema):
    """A meeting's pack (tài liệu họp trọn bộ) for the token's account."""

    status: Literal["absent", "pending", "running", "done", "failed"] = Field(
        description="absent: chưa yêu cầu; pending, running: đang chuẩn bị; done: sẵn sàng; "
        "failed: không thành công (yêu cầu lại)"
    )
    has_documents: bool
    personal: bool = Field(
        description="Bản riêng của người đọc (có tài liệu hạn chế đóng dấu chìm tên người đọc)"
    )
    size: int | None = Field(None, description="Dung lượng (byte) khi đã sẵn sàng")
    pages: int | None = Field(None, description="Số trang khi đã sẵn sàng")
    download_url: str | None = None


class DocumentOut(Schema):
    id: int
    meeting_id: int
    title: str
    number: str
    type: str | None
    field: str | None
    issuer: str
    issued_on: date | None
    order: int
    agenda_item_id: int | None
    version: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    download_url: str
    restricted: bool = Field(False, description="Tài liệu hạn chế: có dấu chìm tên người xem.")
    downloadable: bool = Field(
        True,
        description="Tải được: tài liệu hạn chế không cho tải thì trả 403 (chỉ đọc trực tuyến).",
    )


class MeetingIn(Schema):
    title: Text = Field(..., min_length=1, max_length=500)
    agenda: Text = Field("", max_length=20_000)
    start_at: Moment = Field(..., description="ISO 8601; không có múi giờ thì là giờ Việt Nam.")
    end_at: Moment
    type: Id = Field(..., description="Mã (id) loại cuộc họp trong danh mục.")
    form: Id = Field(..., description="Mã (id) hình thức họp trong danh mục.")
    field: Id | None = None
    location: Id | None = None
    online_link: str = Field("", max_length=500)
    chair: Id | None = None
    secretary: Id | None = None
    is_public: bool = True
    units: list[Id] = Field([], max_length=2000)
    committees: list[Id] = Field([], max_length=500)
    persons: list[Id] = Field([], max_length=2000)


class InviteesIn(Schema):
    units: list[Id] = Field([], max_length=2000)
    committees: list[Id] = Field([], max_length=500)
    persons: list[Id] = Field([], max_length=2000)


class DocumentMetadataIn(Schema):
    """Sent with the file (multipart/form-data); applies to the new document."""

    type: Id | None = Field(None, description="Mã (id) loại văn bản trong danh mục.")
    field: Id | None = Field(None, description="Mã (id) lĩnh vực trong danh mục.")
    issuer: Text = Field("", max_length=255, description="Cơ quan ban hành.")


class PublishIn(Schema):
    late_reason: Text = Field("", max_length=2000)


class AccountOut(Schema):
    username: str
    full_name: str
    role: str
    unit: str | None
    token_name: str
    token_prefix: str
    scope: str
    expires_at: datetime
