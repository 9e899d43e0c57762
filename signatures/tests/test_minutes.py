"""The contract with a real registered kind: the approved minutes (registered by the minutes app)
signed by whoever approves them, the signed PDF found intact and trusted by the product's check,
and the sign box on the page for those who read the minutes."""

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PersonFactory, UserFactory
from signatures.checking import check_pdf
from signatures.models import FoundSignature, SignedPdf, SigningKey
from signatures.selectors import trusted_roots

from .conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(meetings, role_users) -> Any:
    from minutes.models import Minutes, MinutesVersion

    minutes = Minutes.objects.create(meeting=meetings["published"], number="1/BB-VPUBND")
    version = MinutesVersion.objects.create(
        minutes=minutes,
        number=1,
        by=role_users["secretary"],
        subject="Cuộc họp bàn kế hoạch năm",
        attendance="Thành phần",
        proceedings="Nội dung <script>alert(1)</script>",
        conclusions="Thống nhất",
    )
    minutes.approved_version, minutes.approved_at = version, timezone.now()
    minutes.approved_by = role_users["clerk"]
    minutes.save()
    return minutes


@pytest.fixture
def leader(approved: Any, office: Any, key_dir: Any) -> User:
    """The meeting's chair, with an account: approves (and so signs) the minutes."""
    person = PersonFactory(full_name="Trần Văn Chủ Trì")
    meeting = approved.meeting
    meeting.chair = person
    meeting.save(update_fields=["chair"])
    user = UserFactory(username="chutri", role=User.Role.UNIT_LEADER, unit=office, person=person)
    SigningKey.objects.create(
        label="Khoá của chủ trì", kind="pkcs12", holder=user, file_name="nguyen-van-ky.p12"
    )
    return user


def test_the_approver_signs_the_approved_minutes(
    client, approved, leader, trust, role_users, client_for
) -> None:
    assert leader.has_perm("minutes.sign_minutes", approved)
    assert not role_users["secretary"].has_perm("minutes.sign_minutes", approved)
    client.force_login(leader)
    url = reverse("signatures:sign", args=["minutes.minutes", approved.pk])
    assert client.get(url).status_code == 200
    key = SigningKey.objects.get(holder=leader)
    response = client.post(url, {"key": key.pk, "secret": PASSPHRASE})
    assert response.status_code == 302
    record = SignedPdf.objects.get()
    assert record.object == approved and record.signer == leader
    assert record.title.startswith("Biên bản 1/BB-VPUBND")
    with record.file.open("rb") as handle:
        (finding,) = check_pdf(handle.read(), trusted_roots())
    assert finding.integrity == FoundSignature.Integrity.INTACT and finding.trusted

    # Every reader of the approved minutes sees who signed and downloads the signed PDF.
    request = RequestFactory().get("/")
    request.user = role_users["member"]
    box = Template('{% include "signatures/_sign.html" with object=m %}').render(
        Context({"request": request, "m": approved})
    )
    assert "Đã ký số" in box and url not in box
    download = client_for("member").get(reverse("signatures:download", args=[record.pk]))
    assert download.status_code == 200
    assert (
        client_for("outsider").get(reverse("signatures:download", args=[record.pk])).status_code
        == 404
    )
    # The secretary reads the minutes but does not approve them: 403, nothing signed.
    assert (
        client_for("secretary").post(url, {"key": key.pk, "secret": PASSPHRASE}).status_code == 403
    )
    assert SignedPdf.objects.count() == 1
