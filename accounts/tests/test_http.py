"""accounts.http.user_of: the signed-in account of a request only signed-in users reach."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from accounts.http import user_of


@pytest.mark.django_db
def test_the_account_is_given_as_it_is(role_users):
    request = RequestFactory().get("/")
    clerk = role_users["clerk"]
    request.user = SimpleLazyObject(lambda: clerk)  # as AuthenticationMiddleware sets it
    assert user_of(request) == clerk


def test_an_anonymous_request_is_refused_not_passed_on():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        user_of(request)
