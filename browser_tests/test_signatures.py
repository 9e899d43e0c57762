"""Digital signatures in the browser (B14): a meeting document signed by two signers (one under a
root the admin trusts, one not) shows who signed, when, intact and trusted or not; the sign page
refuses a wrong passphrase with a clear message, then signs with the right one. The pages keep
their Content-Security-Policy and pass axe-core."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.models import User
from browser_tests.conftest import path_of, sign_in, visit
from core.samples import pdf_bytes
from documents.models import Document
from documents.services import document_add
from meetings.models import Meeting
from signatures import registry
from signatures.models import SignedPdf, SigningKey, TrustedRoot
from signatures.tests.conftest import PASSPHRASE, Pki, _party, sign_with

# These pages show what the steps after an upload found (documents.processing): on.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("document_processing")]


@pytest.fixture
def pki() -> Pki:
    root = _party("CA gốc thử nghiệm", "Ban Cơ yếu thử nghiệm", None, ca=True)
    other = _party("CA lạ", "Tổ chức không tin cậy", None, ca=True)
    return Pki(
        root=root,
        signer=_party("Nguyễn Văn Ký", "UBND tỉnh thử nghiệm", root, ca=False),
        other_root=other,
        other_signer=_party("Người ký lạ", "Tổ chức không tin cậy", other, ca=False),
    )


@pytest.fixture
def signable():
    entry = registry.register(
        Document,
        pdf=lambda d: d.current.file.open("rb").read(),
        may_sign="documents.change_document",
        may_view="documents.view_document",
        title=lambda d: d.title,
    )
    yield entry
    registry.unregister(Document)


def test_check_and_sign(live_server, demo, page, pki, signable, tmp_path: Path, settings) -> None:
    TrustedRoot.objects.create(
        label="CA gốc thử nghiệm",
        certificate=pki.root.der,
        subject=pki.root.cert.subject.rfc4514_string(),
        fingerprint=hashlib.sha256(pki.root.der).hexdigest(),
        not_after=pki.root.cert.not_valid_after_utc,
    )
    clerk = User.objects.get(username="vanthu")
    meeting = Meeting.objects.filter(organiser_unit=clerk.unit, status="published").first()
    assert meeting is not None
    data = sign_with(pki.signer, [pki.root], pdf_bytes("Quyet dinh so 12/QD-UBND"))
    data = sign_with(pki.other_signer, [pki.other_root], data, field="Sig2")
    document = document_add(
        meeting=meeting,
        by=clerk,
        uploaded=SimpleUploadedFile("Quyết định 12.pdf", data, "application/pdf"),
        notify=False,
    )

    sign_in(page, live_server, "vanthu")
    page.goto(f"{live_server.url}/tai-lieu/{document.pk}/")
    box = page.locator(".signature-check")
    expect(box).to_contain_text("Nguyễn Văn Ký")
    expect(box).to_contain_text("Người ký lạ")
    expect(box.locator(".badge.text-bg-success")).to_have_count(3)
    expect(box).to_contain_text("Chứng thư chưa được tin cậy")
    visit(page, "signatures-document-check")

    # The clerk's own key, a .p12 file in the server's key store.
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "vanthu.p12").write_bytes(pki.p12(pki.signer, [pki.root]))
    settings.SIGNING_KEY_DIR = folder
    SigningKey.objects.create(
        label="Khoá ký số của văn thư", kind="pkcs12", holder=clerk, file_name="vanthu.p12"
    )
    document_url = f"/tai-lieu/{document.pk}/"
    page.goto(f"{live_server.url}/ky-so/documents.document/{document.pk}/?next={document_url}")
    visit(page, "signatures-sign-form")
    page.get_by_label("Mật khẩu tệp khoá hoặc mã PIN thiết bị").fill("sai-mat-khau")
    with page.expect_navigation():
        page.get_by_role("button", name="Ký số").click()
    expect(page.get_by_text("Mật khẩu của tệp khoá không đúng")).to_be_visible()
    assert not SignedPdf.objects.exists()
    visit(page, "signatures-sign-wrong-passphrase")
    page.get_by_label("Mật khẩu tệp khoá hoặc mã PIN thiết bị").fill(PASSPHRASE)
    with page.expect_navigation():
        page.get_by_role("button", name="Ký số").click()
    assert path_of(page) == document_url
    expect(page.get_by_text("Đã ký số “Quyết định 12”")).to_be_visible()
    record = SignedPdf.objects.get()
    assert record.signer == clerk and "Nguyễn Văn Ký" in record.cert_subject
