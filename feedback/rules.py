"""Software feedback (A6): every account writes; the IT centre reads and answers."""

import rules
from rules.predicates import is_authenticated

from accounts.rules import is_admin, it_centre_reads
from core.predicates import is_author

rules.add_perm("feedback.add_feedback", is_authenticated)
rules.add_perm("feedback.view_feedback", is_admin | is_author)
rules.add_perm("feedback.answer_feedback", is_admin)
# Answering in Django's admin is a change.
it_centre_reads("feedback", ["feedback"], "change_feedback")
