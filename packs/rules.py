"""Who may read a meeting's pack: whoever sees the meeting, as its documents (documents.rules);
what each reader's pack holds is decided by packs.plan with documents.selectors."""

import rules

from meetings.rules import sees_meeting

rules.add_perm("packs.view_pack", sees_meeting)
