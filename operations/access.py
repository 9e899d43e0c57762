"""Who may read the monitoring URLs: the addresses the admin lists (MONITORING_ALLOWED_IPS), as
seen through the trusted proxies like everywhere else in the product (core.http.client_ip)."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from core.http import client_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    # A bare address is a network of one; a typo fails at start-up (operations.checks), not here.
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def allowed_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.MONITORING_ALLOWED_IPS))


def monitoring_allowed(request: HttpRequest) -> bool:
    address = client_ip(request)
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # "::ffff:127.0.0.1" from a dual-stack socket is 127.0.0.1
    return any(ip in network for network in allowed_networks())
