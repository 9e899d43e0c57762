import json
import os
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "The test provider's people (from OIDC_PROVIDER_USERS) and the product's application."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", action="append", default=[])
        parser.add_argument("--post-logout-uri", action="append", default=[])

    def handle(self, *args: Any, **options: Any) -> None:
        people = json.loads(Path(os.environ["OIDC_PROVIDER_USERS"]).read_text(encoding="utf-8"))
        for username, person in people.items():
            user, _ = User.objects.get_or_create(username=username)
            user.email = person.get("email", "")
            user.set_password(person["password"])
            user.save()
        Application.objects.update_or_create(
            client_id=options["client_id"],
            defaults={
                "name": "Họp không giấy",
                "client_secret": options["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": " ".join(options["redirect_uri"]),
                "post_logout_redirect_uris": " ".join(options["post_logout_uri"]),
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )
