"""The minutes before they exist, by role; and the approved minutes signed (B14): the signed PDF
is what the invitees download, until a later version is approved."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from minutes import services
from minutes.models import Minutes
from signatures.models import SigningKey
from signatures.tests.conftest import PASSPHRASE, key_dir, pki  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _chair(held: dict) -> Client:
    client = Client()
    client.force_login(held["chair"])
    return client


def test_before_any_minutes(held, client_for):
    meeting = held["meeting"]
    detail = reverse("minutes:detail", args=[meeting.pk])
    secretary = client_for("secretary").get(detail).content.decode()
    assert reverse("minutes:start", args=[meeting.pk]) in secretary
    member = client_for("member").get(detail)
    assert member.status_code == 200
    assert reverse("minutes:start", args=[meeting.pk]) not in member.content.decode()
    assert client_for("outsider").get(detail).status_code == 404
    for name, args in (
        ("minutes:edit", []),
        ("minutes:regenerate", []),
        ("minutes:version", [1]),
        ("minutes:export", ["pdf"]),
    ):
        url = reverse(name, args=[meeting.pk, *args])
        assert client_for("secretary").get(url).status_code == 404, name
    assert _chair(held).get(reverse("minutes:approve", args=[meeting.pk])).status_code == 404
    # The meeting page links to the minutes for the secretary only while nothing is approved.
    page = reverse("meetings:detail", args=[meeting.pk])
    assert detail in client_for("secretary").get(page).content.decode()
    assert detail not in client_for("member").get(page).content.decode()


def test_the_signed_pdf_is_what_invitees_download(held, role_users, client_for, key_dir):  # noqa: F811
    from pypdf import PdfReader

    from signatures.models import SignedPdf

    secretary, chair_user = role_users["secretary"], held["chair"]
    minutes = services.minutes_start(meeting=held["meeting"], by=secretary)
    minutes = services.minutes_approve(
        minutes=minutes, by=chair_user, version=1, number="3/BB-VPUBND", place="Hà Giang"
    )
    key = SigningKey.objects.create(
        label="Khoá của chủ trì",
        kind=SigningKey.Kind.PKCS12,
        holder=chair_user,
        file_name="nguyen-van-ky.p12",
    )
    sign_url = reverse("signatures:sign", args=["minutes.minutes", minutes.pk])
    assert client_for("secretary").get(sign_url).status_code == 403
    assert client_for("outsider").get(sign_url).status_code == 404
    chair = _chair(held)
    detail = reverse("minutes:detail", args=[held["meeting"].pk])
    assert sign_url in chair.get(detail).content.decode()
    response = chair.post(sign_url, {"key": key.pk, "secret": PASSPHRASE, "next": detail})
    assert response.status_code == 302
    record = SignedPdf.objects.get()
    with record.file.open("rb") as handle:
        signed = handle.read()
    export = reverse("minutes:export", args=[held["meeting"].pk, "pdf"])
    downloaded = client_for("member").get(export)
    assert downloaded.status_code == 200 and downloaded.content == signed
    assert PdfReader(io.BytesIO(downloaded.content)).get_fields()  # it carries the signature
    assert "Tải PDF đã ký số" in client_for("member").get(detail).content.decode()

    # A later version approved: its own PDF, not the signature of the earlier one.
    latest = minutes.versions.get(number=1)
    services.minutes_save(
        minutes=minutes,
        by=secretary,
        text={**latest.text(), "conclusions": "Bổ sung kết luận"},
        based_on=1,
    )
    services.minutes_approve(
        minutes=Minutes.objects.get(pk=minutes.pk),
        by=chair_user,
        version=2,
        number="3/BB-VPUBND",
        place="Hà Giang",
    )
    again = client_for("member").get(export).content
    assert again != signed
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(again)).pages)
    assert "Bổ sung kết luận" in text
