import json
import os
from pathlib import Path
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Each person's claims (e-mail, name, personal_id, amr, acr) from the people file the tests
    wrote, in the ID token and at the userinfo endpoint."""

    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        people = json.loads(Path(os.environ["OIDC_PROVIDER_USERS"]).read_text(encoding="utf-8"))
        person = people.get(request.user.username, {})
        return {key: value for key, value in person.items() if key != "password"}
