"""Tokens for the shared role users, and clients that send them."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from api.services import token_create


def make_token_for(role_users: dict[str, Any]) -> Callable[..., str]:
    def make(role: str, scope: str = "write", days: int = 90) -> str:
        _, plain = token_create(owner=role_users[role], name=f"Thử {role}", scope=scope, days=days)
        return plain

    return make


def make_api_clients(token_for: Callable[..., str]) -> Callable[..., Client]:
    def make(role: str, scope: str = "write") -> Client:
        if role == "anonymous":
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(role, scope)}")

    return make


@pytest.fixture
def token_for(role_users) -> Callable[..., str]:
    """The plain text of a new token of a role's account ("write" scope unless asked)."""
    return make_token_for(role_users)


@pytest.fixture
def api_client(token_for) -> Callable[..., Client]:
    """A client sending a role's token; "anonymous" sends none."""
    return make_api_clients(token_for)
