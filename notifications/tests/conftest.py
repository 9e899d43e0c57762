import pytest
from django.test import override_settings

from .smtp import SMTPServer


@pytest.fixture
def smtp():
    """A running loopback SMTP server, with Django's mail settings pointing at it."""
    server = SMTPServer().start()
    with override_settings(**server.settings):
        yield server
    server.stop()
