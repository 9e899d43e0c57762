"""API access tokens (B4). Every account may make tokens for itself: a token carries the account's
own rights, never more, so reading through the API is what the pages already allow. Tokens are
personal: nobody, not even an admin, lists or revokes another account's (deactivating the account
stops them all)."""

import rules
from rules.predicates import is_authenticated

from core.predicates import owned_through

owns_token = owned_through("owner_id")

rules.add_perm("api.view_own_tokens", is_authenticated)
rules.add_perm("api.add_accesstoken", is_authenticated)
rules.add_perm("api.revoke_accesstoken", owns_token)
