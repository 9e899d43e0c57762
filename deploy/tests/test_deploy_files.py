"""The files in deploy/ say what the code reads: every setting in env.example with a comment, the
units and the nginx site as the README describes them. (test_multi_node.py runs them.)"""

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
DEPLOY = BASE / "deploy"
READ = re.compile(r"""\b(?:env|env_int|env_bool|env_list|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def settings_read() -> set[str]:
    """The variables production reads: the shared settings, production's and the storage's."""
    names: set[str] = set()
    for path in ("config/settings/base.py", "config/settings/production.py", "config/storage.py"):
        names |= set(READ.findall((BASE / path).read_text()))
    return names


def test_every_setting_is_in_env_example_with_a_comment():
    lines = (DEPLOY / "env.example").read_text().splitlines()
    listed: dict[str, int] = {}
    for number, line in enumerate(lines):
        match = re.match(r"^(?:# )?([A-Z][A-Z0-9_]+)=", line)
        if match:
            listed.setdefault(match.group(1), number)
    read = settings_read()
    assert len(read) > 40, f"the pattern finds the settings: {sorted(read)}"
    missing = sorted(read - listed.keys())
    assert not missing, f"deploy/env.example lacks {missing}"
    uncommented = []
    for name in read:
        number = listed[name] - 1
        # A group of settings may share the comment above it.
        while number >= 0 and re.match(r"^[A-Z][A-Z0-9_]+=", lines[number]):
            number -= 1
        if number < 0 or not lines[number].startswith("#") or lines[number].startswith("# ---"):
            uncommented.append(name)
    assert not uncommented, f"settings without a comment above them: {sorted(uncommented)}"


def test_the_units_run_an_app_server_per_port_and_the_worker():
    app = (DEPLOY / "systemd" / "hopkhonggiay@.service").read_text()
    worker = (DEPLOY / "systemd" / "hopkhonggiay-worker.service").read_text()
    for unit in (app, worker):
        assert "EnvironmentFile=/etc/hopkhonggiay.env" in unit
        assert "Restart=always" in unit
    start = next(line for line in app.splitlines() if line.startswith("ExecStart="))
    assert "gunicorn config.wsgi" in start and "--bind 127.0.0.1:%i" in start, start
    start = next(line for line in worker.splitlines() if line.startswith("ExecStart="))
    assert start.endswith("manage.py qcluster"), start


def test_the_nginx_site():
    site = (DEPLOY / "nginx" / "hopkhonggiay.conf").read_text()
    upstream = re.search(r"upstream hopkhonggiay_app \{(.*?)\}", site, re.S)
    assert upstream and upstream.group(1).count("server ") >= 2, "two or more app servers"
    assert site.count("proxy_pass http://hopkhonggiay_app;") >= 2
    assert "listen 443 ssl" in site and "return 301 https://" in site
    assert "proxy_set_header X-Request-ID $request_id;" in site
    assert re.search(r"location /protected-media/ \{\s*internal;", site), "X-Accel-Redirect"
    size = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))  # type: ignore[union-attr]
    assert size > settings.DOCUMENT_MAX_UPLOAD_MB, "nginx must let the app refuse larger files"
    zips = re.search(r"location ~ \\\.zip\$ \{(.*?)\}", site, re.S)
    assert zips, "a location for the streamed ZIPs"
    assert "proxy_buffering off;" in zips.group(1)
    assert re.search(r"proxy_read_timeout \d{4,}s;", zips.group(1)), "long timeouts for ZIPs"
