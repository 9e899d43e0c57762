"""The dashboard is every signed-in account's."""

import rules
from rules.predicates import is_authenticated

rules.add_perm("portal.view_dashboard", is_authenticated)
