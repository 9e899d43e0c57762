"""Only the addresses the admin allows reach the monitoring URLs; everyone else gets a 404, as if
they did not exist. No session, sign-in or two-factor step stands in the way of those allowed."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.tests.factories import UserFactory, signed_in_client

URLS = ["operations:healthz", "operations:readyz", "operations:metrics"]


def _get(name: str, address: str, **headers: str):
    return Client(REMOTE_ADDR=address, headers=headers).get(reverse(name))


@pytest.mark.django_db
@pytest.mark.parametrize("name", URLS)
def test_outside_the_default_loopback_is_a_404(name: str) -> None:
    assert _get(name, "127.0.0.1").status_code == 200
    response = _get(name, "10.1.2.3")
    assert response.status_code == 404
    assert response.content == b"", "a refused probe learns nothing"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(MONITORING_ALLOWED_IPS=["10.20.0.0/16", "192.0.2.7", "2001:db8::/32"])
def test_networks_and_addresses_from_the_list() -> None:
    outcomes = {
        address: _get("operations:healthz", address).status_code
        for address in ["10.20.255.1", "10.21.0.1", "192.0.2.7", "192.0.2.8", "2001:db8::5"]
    }
    outcomes["127.0.0.1"] = _get("operations:healthz", "127.0.0.1").status_code
    assert outcomes == {
        "10.20.255.1": 200,
        "10.21.0.1": 404,
        "192.0.2.7": 200,
        "192.0.2.8": 404,
        "2001:db8::5": 200,
        "127.0.0.1": 404,  # the list replaces the default
    }


@pytest.mark.django_db
def test_forwarded_address_counts_only_behind_trusted_proxies() -> None:
    # Without a trusted proxy, X-Forwarded-For is the client's own claim.
    forged = _get("operations:metrics", "10.1.2.3", **{"X-Forwarded-For": "127.0.0.1"})
    assert forged.status_code == 404
    with override_settings(TRUSTED_PROXY_COUNT=1, MONITORING_ALLOWED_IPS=["10.9.0.0/24"]):
        # nginx on 127.0.0.1 forwards for the Prometheus server at 10.9.0.5...
        scraper = _get("operations:metrics", "127.0.0.1", **{"X-Forwarded-For": "10.9.0.5"})
        assert scraper.status_code == 200
        # ...but a client behind it claiming an allowed address is still the client.
        claim = {"X-Forwarded-For": "10.9.0.5, 203.0.113.9"}
        assert _get("operations:metrics", "127.0.0.1", **claim).status_code == 404


@pytest.mark.django_db
def test_no_sign_in_step_stands_in_the_way() -> None:
    # An admin signed in but not through the two-factor step, and one who must change the
    # password: every other page sends them to that step.
    pending = Client()
    pending.force_login(UserFactory(role="admin"))  # the code step not done
    assert pending.get(reverse("portal:dashboard")).status_code == 302
    assert pending.get(reverse("operations:readyz")).status_code == 200
    changing = signed_in_client(UserFactory(must_change_password=True))
    assert changing.get(reverse("portal:dashboard")).status_code == 302
    assert changing.get(reverse("operations:healthz")).content == b"ok"


@pytest.mark.django_db
def test_request_id_is_returned() -> None:
    sent = Client(headers={"X-Request-ID": "nginx-4f2a9c"}).get(reverse("operations:healthz"))
    assert sent["X-Request-ID"] == "nginx-4f2a9c"
    made = Client().get(reverse("portal:home"))
    assert len(made["X-Request-ID"]) == 32
    forged = Client(headers={"X-Request-ID": "x\r\nfake: line"}).get(reverse("portal:home"))
    assert forged["X-Request-ID"] != "x\r\nfake: line"
