"""What a newcomer sees in the terminal of `make run`: each demo e-mail in one line, the whole
message in a file, and the site's address as HOST and PORT make it."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from notifications.demo_mail import EmailBackend

BASE = Path(settings.BASE_DIR)


def test_each_email_is_one_line_and_a_file_with_the_whole_message(tmp_path):
    out = io.StringIO()
    backend = EmailBackend(file_path=str(tmp_path), stream=out)
    body = "Kính mời đồng chí dự họp.\n" + "Nội dung dài. " * 200
    messages = [
        mail.EmailMessage(
            "Giấy mời: họp bàn kế hoạch năm", body, to=["stc@example.gov.vn", "snv@example.gov.vn"]
        ),
        mail.EmailMessage("Nhắc lịch họp", "Còn 2 giờ.", to=["skhdt@example.gov.vn"]),
    ]

    assert backend.send_messages(messages) == 2

    lines = out.getvalue().splitlines()
    assert len(lines) == 2, f"one line per message, got:\n{out.getvalue()}"
    assert "stc@example.gov.vn, snv@example.gov.vn" in lines[0]
    assert "Giấy mời: họp bàn kế hoạch năm" in lines[0], "the subject on the same line"
    assert "Nội dung" not in out.getvalue(), "the body stays out of the terminal"
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert str(files[0].name) in lines[0] and str(files[1].name) in lines[1]
    import email
    import email.policy

    kept = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert kept["To"] == "stc@example.gov.vn, snv@example.gov.vn"
    assert kept.get_content().strip() == body.strip(), "the file holds the whole message"


def test_development_settings_use_it():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    done = subprocess.run(
        [
            ".venv/bin/python",
            "-c",
            "import django; django.setup(); from django.conf import "
            "settings as s; print(s.EMAIL_BACKEND); print(s.EMAIL_FILE_PATH)",
        ],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    backend, folder = done.stdout.split()
    assert backend == "notifications.demo_mail.EmailBackend"
    assert Path(folder) == BASE / "var" / "mail"


@pytest.mark.django_db
def test_load_demo_prints_the_address_it_is_given():
    out = io.StringIO()
    with override_settings(SITE_URL="http://127.0.0.1:8100"):
        call_command("load_demo", stdout=out)
    assert "open: http://127.0.0.1:8100" in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_make_run_passes_host_and_port_as_the_address():
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "MAKEFLAGS", "MFLAGS"}}
    done = subprocess.run(
        ["make", "--dry-run", "-o", "install", "run", "PORT=8100", "HOST=127.0.0.1"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    commands = done.stdout
    for command in ("load_demo", "qcluster", "runserver 127.0.0.1:8100"):
        line = next((x for x in commands.splitlines() if command in x), "")
        assert "SITE_URL=http://127.0.0.1:8100 " in line, f"{command}: {line!r}\n{commands}"
