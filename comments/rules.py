"""Comments on a meeting and their summary (C1, C2, M8)."""

import rules

from core.predicates import is_author
from meetings.rules import chairs_meeting, meeting_is_published, sees_meeting, takes_the_roll

rules.add_perm("comments.view_comments", sees_meeting & meeting_is_published)
rules.add_perm("comments.add_comment", sees_meeting & meeting_is_published)
rules.add_perm("comments.change_comment", is_author)
rules.add_perm("comments.write_summary", sees_meeting & meeting_is_published & takes_the_roll)
rules.add_perm(
    "comments.export_comments",
    sees_meeting & meeting_is_published & (takes_the_roll | chairs_meeting),
)
