"""Who may do what: every access decision of the product lives here (A2, D2).

Each action is one named rule, `<app>.<action>_<model>`, built from small predicates with
django-rules. Views and templates ask `user.has_perm(name, obj)`; they never decide by themselves.
Later capabilities add their predicates and rules to this module.

Admins (role "admin") are the IT centre. They are not superusers: they manage the organisation,
accounts, catalogs, feedback and the outbox and read the logs (the rules at the end of this module,
which Django's admin asks), and read a meeting, its documents and comments only where a rule below
gives them a role in it, like anybody else (least privilege).
"""

import rules
from django.db.models import Q
from rules.predicates import is_authenticated

from accounts.models import User


@rules.predicate
def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.ADMIN


@rules.predicate
def is_clerk(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.CLERK


@rules.predicate
def is_unit_manager(user: User) -> bool:
    """Unit leaders and unit clerks act for their unit (name attendees, comment for it)."""
    return user.is_authenticated and user.role in {User.Role.UNIT_LEADER, User.Role.UNIT_CLERK}


@rules.predicate
def unit_may_organise(user: User) -> bool:
    """Organising meetings is granted per unit by the admin; initially the Provincial Office."""
    unit = user.unit if user.is_authenticated else None
    return unit is not None and unit.may_organise and unit.is_active


@rules.predicate
def is_author(user: User, obj: object) -> bool:
    return obj is not None and getattr(obj, "author_id", None) == user.pk


# ---- portal -------------------------------------------------------------------------------
rules.add_perm("portal.view_dashboard", is_authenticated)

# ---- accounts -------------------------------------------------------------------------------
rules.add_perm("accounts.view_own_account", is_authenticated)
rules.add_perm("accounts.change_own_password", is_authenticated)
rules.add_perm("accounts.view_loginevent", is_admin)
rules.add_perm("accounts.reset_password", is_admin)
rules.add_perm("accounts.unlock_account", is_admin)

# ---- meetings (M1-M7, D2) -------------------------------------------------------------------
# Seeing a meeting is decided by meetings.selectors.meetings_visible_to, so that the lists and the
# meeting page cannot disagree; the predicates below ask it for one object.


@rules.predicate
def sees_meeting(user: User, meeting: object) -> bool:
    from meetings.selectors import may_see

    return meeting is not None and may_see(user, meeting)  # type: ignore[arg-type]


@rules.predicate
def organises_meeting(user: User, meeting: object) -> bool:
    from meetings.selectors import is_organiser

    return meeting is not None and is_organiser(user, meeting)  # type: ignore[arg-type]


@rules.predicate
def is_meeting_secretary(user: User, meeting: object) -> bool:
    return meeting is not None and getattr(meeting, "secretary_id", None) == user.pk


@rules.predicate
def meeting_is_open(user: User, meeting: object) -> bool:
    """Neither cancelled nor deleted: a cancelled meeting's record stays as it was."""
    from meetings.models import Meeting

    return (
        isinstance(meeting, Meeting)
        and meeting.status != Meeting.Status.CANCELLED
        and meeting.deleted_at is None
    )


@rules.predicate
def meeting_is_published(user: User, meeting: object) -> bool:
    """Published (and perhaps postponed or cancelled since): no longer a draft."""
    return meeting is not None and getattr(meeting, "status", "draft") != "draft"


def _meeting_of(document: object) -> object:
    return getattr(document, "meeting", None)


@rules.predicate
def sees_document(user: User, document: object) -> bool:
    """Documents inherit their meeting's protection; a deleted one is the organiser's only."""
    meeting = _meeting_of(document)
    if meeting is None:
        return False
    if getattr(document, "deleted_at", None) is not None:
        return bool(organises_meeting(user, meeting))
    if not sees_meeting(user, meeting):
        return False
    if getattr(document, "restricted", False):
        # A restricted document (B11): the organiser side and its audience only, decided as
        # documents.selectors.readable_by decides for the lists.
        from documents.selectors import reads_restricted

        return reads_restricted(user, document)  # type: ignore[arg-type]
    return True


@rules.predicate
def organises_document(user: User, document: object) -> bool:
    meeting = _meeting_of(document)
    return meeting is not None and bool(organises_meeting(user, meeting))


rules.add_perm("meetings.organise_meeting", is_clerk & unit_may_organise)
rules.add_perm("meetings.add_meeting", is_clerk & unit_may_organise)
rules.add_perm("meetings.view_meeting", sees_meeting)
rules.add_perm("meetings.change_meeting", organises_meeting & meeting_is_open)
rules.add_perm("meetings.delete_meeting", organises_meeting)
rules.add_perm("meetings.view_receipts", organises_meeting | is_meeting_secretary)
rules.add_perm("meetings.view_history", sees_meeting)

# ---- documents (M3, D2) -----------------------------------------------------------------------
rules.add_perm("documents.view_document", sees_document)
rules.add_perm("documents.add_document", organises_meeting & meeting_is_open)


@rules.predicate
def document_meeting_is_open(user: User, document: object) -> bool:
    """A cancelled or deleted meeting's documents stay as they were, like the meeting.

    An ended meeting's documents stay open to their organiser, as the meeting does: the final
    text of what was decided, a corrected annex or the minutes are often filed after the
    meeting, and every replaced version is kept and the change is in the meeting's history."""
    return bool(meeting_is_open(user, _meeting_of(document)))


rules.add_perm("documents.change_document", organises_document & document_meeting_is_open)
rules.add_perm("documents.view_old_versions", organises_document)


@rules.predicate
def document_is_restricted(user: User, document: object) -> bool:
    return bool(getattr(document, "restricted", False))


@rules.predicate
def document_allows_download(user: User, document: object) -> bool:
    return bool(getattr(document, "allow_download", False))


# A restricted document (B11) is downloaded only where its organiser allows it, and then as a PDF
# stamped with the reader's name (documents.watermark); otherwise it is read online only (403).
# Its organisers download what they uploaded, as it is.
rules.add_perm(
    "documents.download_document",
    sees_document & (~document_is_restricted | organises_document | document_allows_download),
)
rules.add_perm(
    "documents.download_original", sees_document & (~document_is_restricted | organises_document)
)
# The text read from a document (B3) is the document itself: whoever may read it.
rules.add_perm("doctext.view_text", sees_document)
# The viewer (B2): whoever may read a document reads it in the page, its conversion to PDF too.
rules.add_perm("viewer.read_document", sees_document)
# The viewer's PDF bytes (the original PDF or its conversion) are the original: a restricted
# document's readers get the watermarked PDF that viewer.selectors.pdf_source points them at.
rules.add_perm("viewer.read_pdf", sees_document & (~document_is_restricted | organises_document))

# ---- software feedback (A6) -----------------------------------------------------------------
rules.add_perm("feedback.add_feedback", is_authenticated)
rules.add_perm("feedback.view_feedback", is_admin | is_author)
rules.add_perm("feedback.answer_feedback", is_admin)

# ---- attendance (T1-T3) -----------------------------------------------------------------------


@rules.predicate
def answers_for_invitation(user: User, invitation: object) -> bool:
    """Who replies for an invitee: the unit's leader or clerk for a unit, the committee's account
    for a committee, the person for a personal invitation."""
    if invitation is None or not user.is_authenticated:
        return False
    unit_id = getattr(invitation, "unit_id", None)
    committee_id = getattr(invitation, "committee_id", None)
    person_id = getattr(invitation, "person_id", None)
    if unit_id:
        return user.unit_id == unit_id and bool(is_unit_manager(user))
    if committee_id:
        return user.committee_id == committee_id
    return person_id is not None and user.person_id == person_id


def answered_by(user: User) -> Q:
    """The invitations `answers_for_invitation` accepts, as a filter with the same three cases, so
    that a page finds an account's few invitations among a meeting's hundreds in the database."""
    found = Q(pk__in=[])
    if not user.is_authenticated:
        return found
    if user.unit_id and is_unit_manager(user):
        found |= Q(unit_id=user.unit_id)
    if user.committee_id:
        found |= Q(committee_id=user.committee_id)
    if user.person_id:
        found |= Q(person_id=user.person_id)
    return found


@rules.predicate
def takes_the_roll(user: User, meeting: object) -> bool:
    return bool(is_meeting_secretary(user, meeting)) or bool(organises_meeting(user, meeting))


@rules.predicate
def chairs_meeting(user: User, meeting: object) -> bool:
    person_id = getattr(user, "person_id", None)
    return person_id is not None and getattr(meeting, "chair_id", None) == person_id


@rules.predicate
def invitation_is_sent(user: User, invitation: object) -> bool:
    """A draft's invitations are not sent yet: nobody answers them, nobody is marked present."""
    return bool(meeting_is_published(user, getattr(invitation, "meeting", None)))


rules.add_perm("attendance.reply_invitation", answers_for_invitation & invitation_is_sent)
rules.add_perm("attendance.take_roll", sees_meeting & meeting_is_published & takes_the_roll)
rules.add_perm("attendance.view_figures", sees_meeting & (takes_the_roll | chairs_meeting))
rules.add_perm("attendance.view_unit_figures", is_admin | is_clerk)

# ---- attendance: at the door and online (B5, B9) -----------------------------------------------


@rules.predicate
def named_as_attendee(user: User, invitation: object) -> bool:
    """A person the invitee named to attend (attendance.Attendee.person) checks in for it too."""
    person_id = getattr(user, "person_id", None)
    reply = getattr(invitation, "reply", None) if invitation is not None else None
    if person_id is None or reply is None or reply.declined:
        return False
    return any(a.person_id == person_id for a in reply.attendees.all())


@rules.predicate
def invitation_meeting_is_open(user: User, invitation: object) -> bool:
    return bool(meeting_is_open(user, getattr(invitation, "meeting", None)))


# Checking in marks the invitation present: its own account, or a person named to attend.
rules.add_perm(
    "attendance.check_in",
    (answers_for_invitation | named_as_attendee) & invitation_is_sent & invitation_meeting_is_open,
)
# The door's QR code and the QR on printed invitations: whoever takes the roll.
rules.add_perm(
    "attendance.view_check_in_code",
    sees_meeting & meeting_is_published & meeting_is_open & takes_the_roll,
)
# The join-online button: those who see the published meeting (its invitees and organisers).
rules.add_perm("attendance.join_online", sees_meeting & meeting_is_published & meeting_is_open)
# ---- end attendance at the door and online ------------------------------------------------------

# ---- comments (C1, C2, M8) --------------------------------------------------------------------


@rules.predicate
def authored_comment(user: User, comment: object) -> bool:
    return comment is not None and getattr(comment, "author_id", None) == user.pk


rules.add_perm("comments.view_comments", sees_meeting & meeting_is_published)
rules.add_perm("comments.add_comment", sees_meeting & meeting_is_published)
rules.add_perm("comments.change_comment", authored_comment)
rules.add_perm("comments.write_summary", sees_meeting & meeting_is_published & takes_the_roll)
rules.add_perm(
    "comments.export_comments",
    sees_meeting & meeting_is_published & (takes_the_roll | chairs_meeting),
)
rules.add_perm("meetings.view_chair_report", sees_meeting & (takes_the_roll | chairs_meeting))

# ---- in the room (B6, B10) -----------------------------------------------------------------------
# The secretary, the organiser and the chair run the meeting in the room: the current item, the
# speaker list and the timer, while the meeting is published (neither postponed, cancelled nor
# deleted). The room's screen shows what the hall sees anyway, so whoever sees the published
# meeting may open it (on the projector, or on their own phone).
#
# Who may ask to speak: an account that answers for an invitation marked present (in person,
# online or by a substitute: attendance.selectors.PRESENT_STATUSES) - the unit's leader or clerk
# for a unit, the committee's account, the invited person - or a person named by the unit's reply
# as one of its attendees, when that invitation is marked present. Nobody else: an invitee not
# marked present is refused (403), an account that does not see the meeting gets a 404.


@rules.predicate
def meeting_is_running(user: User, meeting: object) -> bool:
    return bool(getattr(meeting, "is_running", False))


@rules.predicate
def present_in_room(user: User, meeting: object) -> bool:
    from room.selectors import floor_invitations

    return meeting is not None and bool(floor_invitations(user, meeting))  # type: ignore[arg-type]


rules.add_perm(
    "room.run_meeting", sees_meeting & meeting_is_running & (takes_the_roll | chairs_meeting)
)
rules.add_perm("room.view_screen", sees_meeting & meeting_is_published)
rules.add_perm("room.request_floor", sees_meeting & meeting_is_running & present_in_room)

# ---- voting (B6) -------------------------------------------------------------------------------
# The chair, the secretary and the organiser open and close votes and watch the count; whoever
# answers for an invitation casts its ballot (voting.services checks the roll and the vote's
# state, with a message); the result is everyone's who sees the meeting once the vote closes.


def _vote_meeting(vote: object) -> object:
    return getattr(vote, "meeting", None)


manages_votes = takes_the_roll | chairs_meeting


@rules.predicate
def sees_vote(user: User, vote: object) -> bool:
    meeting = _vote_meeting(vote)
    return bool(sees_meeting(user, meeting)) and bool(meeting_is_published(user, meeting))


@rules.predicate
def manages_vote(user: User, vote: object) -> bool:
    return bool(manages_votes(user, _vote_meeting(vote)))


@rules.predicate
def vote_is_closed(user: User, vote: object) -> bool:
    return getattr(vote, "status", None) == "closed"


@rules.predicate
def votes_in(user: User, vote: object) -> bool:
    """Answers for one of the meeting's invitations (one query)."""
    from meetings.models import Invitation

    meeting_id = getattr(vote, "meeting_id", None)
    if meeting_id is None or not user.is_authenticated:
        return False
    return Invitation.objects.filter(answered_by(user), meeting_id=meeting_id).exists()


rules.add_perm("voting.view_votes", sees_meeting & meeting_is_published)
rules.add_perm("voting.open_vote", sees_meeting & meeting_is_running & manages_votes)
rules.add_perm("voting.view_vote", sees_vote)
rules.add_perm("voting.cast_vote", sees_vote & votes_in)
rules.add_perm("voting.close_vote", sees_vote & manages_vote)
rules.add_perm("voting.view_live", sees_vote & manages_vote)
rules.add_perm("voting.view_results", sees_vote & (manages_vote | vote_is_closed))
rules.add_perm("voting.export_results", sees_vote & vote_is_closed)

# ---- minutes (B7) -------------------------------------------------------------------------------
# The secretary and the organiser draft and edit the minutes of a published meeting; the chair
# reads the drafts and approves or returns them. The chair is a person (accounts.Person): when
# no active account is that person (or the meeting names no chair), the organiser unit's leader
# (role "unit_leader") approves instead. Approval publishes the approved version to whoever sees
# the meeting; the drafts stay with those who make and approve them (an invitee asking for one
# gets a 403, an outsider a 404).


@rules.predicate
def approves_minutes(user: User, meeting: object) -> bool:
    if meeting is None or not user.is_authenticated:
        return False
    chair_id = getattr(meeting, "chair_id", None)
    if chair_id is not None:
        if user.person_id == chair_id:
            return True
        if User.objects.filter(person_id=chair_id, is_active=True).exists():
            return False
    return user.role == User.Role.UNIT_LEADER and user.unit_id == getattr(
        meeting, "organiser_unit_id", None
    )


def _minutes_meeting(minutes: object) -> object:
    return getattr(minutes, "meeting", None)


@rules.predicate
def approves_these_minutes(user: User, minutes: object) -> bool:
    return bool(approves_minutes(user, _minutes_meeting(minutes)))


@rules.predicate
def sees_minutes(user: User, minutes: object) -> bool:
    return bool(sees_meeting(user, _minutes_meeting(minutes)))


@rules.predicate
def minutes_are_approved(user: User, minutes: object) -> bool:
    return getattr(minutes, "approved_version_id", None) is not None


minutes_seen = sees_meeting & meeting_is_published
rules.add_perm("minutes.view_minutes", minutes_seen)
rules.add_perm("minutes.draft_minutes", minutes_seen & (takes_the_roll | approves_minutes))
rules.add_perm("minutes.change_minutes", minutes_seen & meeting_is_open & takes_the_roll)
rules.add_perm("minutes.approve_minutes", minutes_seen & meeting_is_open & approves_minutes)
# On the Minutes object (signatures): the approved minutes and their signed PDF are everyone's
# who sees the meeting; whoever approves them signs them.
rules.add_perm("minutes.view_published", sees_minutes & minutes_are_approved)
rules.add_perm("minutes.sign_minutes", sees_minutes & minutes_are_approved & approves_these_minutes)

# ---- written opinions (B13) ---------------------------------------------------------------------
# The office's clerks (of a unit that may organise) write and send requests for written opinions;
# their unit's clerks and leaders follow them (the request, the answers, the summary). A sent
# request is also seen by whoever answers for one of its recipients (a unit's leader or clerk, a
# committee's account, the person), like an invitation; a draft by nobody else (404). Whether the
# deadline has passed is the service's business, with a message naming it.


def _opinion_unit_id(opinion: object) -> object:
    return getattr(opinion, "organiser_unit_id", None)


@rules.predicate
def is_clerk_or_leader(user: User) -> bool:
    return user.is_authenticated and user.role in {User.Role.CLERK, User.Role.UNIT_LEADER}


@rules.predicate
def follows_opinion(user: User, opinion: object) -> bool:
    """A clerk or the leader of the unit that asks."""
    return (
        opinion is not None
        and user.is_authenticated
        and bool(is_clerk_or_leader(user))
        and user.unit_id is not None
        and user.unit_id == _opinion_unit_id(opinion)
    )


@rules.predicate
def manages_opinion(user: User, opinion: object) -> bool:
    return bool(is_clerk(user)) and bool(follows_opinion(user, opinion))


@rules.predicate
def opinion_is_draft(user: User, opinion: object) -> bool:
    return getattr(opinion, "status", None) == "draft"


@rules.predicate
def opinion_is_sent(user: User, opinion: object) -> bool:
    return getattr(opinion, "status", None) == "sent"


@rules.predicate
def answers_opinion(user: User, opinion: object) -> bool:
    """Answers for one of a sent (or closed) request's recipients (one query)."""
    from opinions.models import Recipient

    if opinion is None or not user.is_authenticated or opinion_is_draft(user, opinion):
        return False
    pk = getattr(opinion, "pk", None)
    return Recipient.objects.filter(answered_by(user), request_id=pk).exists()


rules.add_perm("opinions.add_request", is_clerk & unit_may_organise)
rules.add_perm("opinions.view_sent", is_clerk_or_leader & unit_may_organise)
rules.add_perm("opinions.view_request", follows_opinion | answers_opinion)
rules.add_perm("opinions.change_request", manages_opinion & opinion_is_draft)
rules.add_perm("opinions.send_request", manages_opinion & opinion_is_draft)
rules.add_perm("opinions.close_request", manages_opinion & opinion_is_sent)
rules.add_perm("opinions.answer_request", answers_opinion & opinion_is_sent)
rules.add_perm("opinions.view_summary", follows_opinion)
rules.add_perm("opinions.export_summary", follows_opinion)

# ---- approved archive exports (D1) ------------------------------------------------------------
# A clerk (or an admin) asks for the archive of a date range; a leader decides: the admins, and a
# unit leader (role "unit_leader") of the requester's own unit. The province has no leader role of
# its own, so for the Provincial Office, whose accounts have no unit leader, the admins decide.
# Nobody decides on their own request, and only the requester downloads, for 7 days.
#
# The exports pages ask these rules through rules.has_perm (the rule set alone), so that an
# admin can neither approve their own request nor download somebody else's archive whatever other
# backend is configured.


def _requester_id(export: object) -> object:
    return getattr(export, "requested_by_id", None)


@rules.predicate
def is_unit_leader(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.UNIT_LEADER


@rules.predicate
def requested_export(user: User, export: object) -> bool:
    return export is not None and user.is_authenticated and _requester_id(export) == user.pk


@rules.predicate
def approves_export(user: User, export: object) -> bool:
    """An admin, or a leader of the requester's unit; never the requester."""
    if export is None or not user.is_authenticated or _requester_id(export) == user.pk:
        return False
    if user.role == User.Role.ADMIN:
        return True
    unit_id = getattr(export, "unit_id", None)
    return user.role == User.Role.UNIT_LEADER and unit_id is not None and user.unit_id == unit_id


@rules.predicate
def export_is_downloadable(user: User, export: object) -> bool:
    return bool(getattr(export, "is_downloadable", False))


rules.add_perm("exports.view_list", is_admin | is_clerk | is_unit_leader)
# The archive holds the documents and comments: the office's clerks ask for it, not the IT centre.
rules.add_perm("exports.request", is_clerk)
rules.add_perm("exports.view_request", requested_export | approves_export)
# Whether the request is still waiting is the service's business: a second "approve" is harmless.
rules.add_perm("exports.decide_request", approves_export)
rules.add_perm("exports.download", requested_export & export_is_downloadable)


# ---- reports (S3, A3) --------------------------------------------------------------------------
# The province's figures: admins, the office's clerks and the leaders of an organising unit (the
# Provincial Office's leadership). A unit's leader and its clerk see their own unit's figures.


@rules.predicate
def has_unit(user: User) -> bool:
    return user.is_authenticated and user.unit_id is not None


reports_on_own_unit = has_unit & is_unit_manager


reports_on_province = is_admin | is_clerk | (is_unit_leader & unit_may_organise)
rules.add_perm("reports.view_province", reports_on_province)
rules.add_perm("reports.view_statistics", reports_on_province | reports_on_own_unit)
# Sign-ins name people, addresses and browsers: the admin and the office's leaders see them all,
# a unit's leader sees its own unit's accounts.
rules.add_perm("reports.view_login_log", is_admin | (is_unit_leader & has_unit))


# ---- conclusion notices and tasks (B12) ----------------------------------------------------------
# The meeting's office writes and issues its conclusion notice and follows the tasks: whoever
# organises the meeting, its secretary, and the leaders of the organising unit. A draft is the
# office's alone. Once issued, the notice is read by whoever sees the meeting and by the units it
# gives tasks to; a task by the office, its unit in charge (which reports on it: its leader and its
# unit account) and the cooperating units (read only). Another unit's task does not exist for it.


def _notice_of(obj: object) -> object:
    return getattr(obj, "notice", obj)


@rules.predicate
def is_notice_office(user: User, meeting: object) -> bool:
    """The meeting's office (meetings.selectors.office_q, its query form)."""
    from meetings.selectors import is_office

    return meeting is not None and is_office(user, meeting)  # type: ignore[arg-type]


@rules.predicate
def issues_notice(user: User, obj: object) -> bool:
    """The office of the notice's (or the task's notice's) meeting."""
    notice = _notice_of(obj)
    return notice is not None and bool(is_notice_office(user, getattr(notice, "meeting", None)))


@rules.predicate
def notice_is_draft(user: User, obj: object) -> bool:
    return getattr(_notice_of(obj), "status", None) == "draft"


@rules.predicate
def notice_is_issued(user: User, obj: object) -> bool:
    return getattr(_notice_of(obj), "status", None) == "issued"


@rules.predicate
def unit_has_task_in_notice(user: User, notice: object) -> bool:
    from tasks.selectors import unit_involved_in_notice

    return user.is_authenticated and bool(user.unit_id) and unit_involved_in_notice(user, notice)


@rules.predicate
def sees_notice_meeting(user: User, notice: object) -> bool:
    return bool(sees_meeting(user, getattr(notice, "meeting", None)))


@rules.predicate
def unit_in_charge(user: User, task: object) -> bool:
    unit_id = getattr(user, "unit_id", None)
    return unit_id is not None and getattr(task, "unit_id", None) == unit_id


@rules.predicate
def unit_cooperates(user: User, task: object) -> bool:
    from tasks.selectors import cooperates

    return user.is_authenticated and bool(user.unit_id) and cooperates(user, task)


@rules.predicate
def task_is_open(user: User, task: object) -> bool:
    return getattr(task, "status", None) == "open"


@rules.predicate
def task_is_reported(user: User, task: object) -> bool:
    return getattr(task, "status", None) == "reported"


@rules.predicate
def follows_tasks_for_office(user: User) -> bool:
    """Clerks and secretaries follow the tasks of the meetings they run; the organising units'
    leaders those of their unit's meetings."""
    return user.is_authenticated and (
        user.role in {User.Role.CLERK, User.Role.SECRETARY}
        or (user.role == User.Role.UNIT_LEADER and bool(unit_may_organise(user)))
    )


rules.add_perm("tasks.add_notice", is_notice_office & meeting_is_published & meeting_is_open)
rules.add_perm(
    "tasks.view_notice",
    issues_notice | (notice_is_issued & (sees_notice_meeting | unit_has_task_in_notice)),
)
rules.add_perm("tasks.change_notice", issues_notice & notice_is_draft)
rules.add_perm("tasks.issue_notice", issues_notice & notice_is_draft)
rules.add_perm(
    "tasks.view_task", issues_notice | (notice_is_issued & (unit_in_charge | unit_cooperates))
)
rules.add_perm(
    "tasks.report_task", notice_is_issued & unit_in_charge & is_unit_manager & task_is_open
)
rules.add_perm("tasks.decide_task", issues_notice & notice_is_issued & task_is_reported)
# Signing the issued notice (B14): its office; the signatures app gives each key to its holder.
rules.add_perm("tasks.sign_notice", issues_notice & notice_is_issued)
rules.add_perm("tasks.view_unit_board", has_unit & ~is_admin)
rules.add_perm("tasks.view_office_board", follows_tasks_for_office)

# ---- personal notes on document pages (B11) ----------------------------------------------------
# A note is its author's. Shared, it is read (never changed) by the accounts of the unit it was
# shared with, and only while they see the document. Nobody else, admins included, reads one:
# notes are not in Django's admin, the audit log, the API or the archives.


def _note_document(note: object) -> object:
    return getattr(note, "document", None)


@rules.predicate
def wrote_note(user: User, note: object) -> bool:
    return note is not None and user.is_authenticated and getattr(note, "author_id", 0) == user.pk


@rules.predicate
def note_shared_with_unit(user: User, note: object) -> bool:
    unit_id = getattr(note, "shared_unit_id", None)
    return user.is_authenticated and unit_id is not None and unit_id == user.unit_id


@rules.predicate
def sees_note_document(user: User, note: object) -> bool:
    return bool(sees_document(user, _note_document(note)))


rules.add_perm("notes.view_own_notes", is_authenticated)
rules.add_perm("notes.add_note", sees_document)
rules.add_perm("notes.view_note", sees_note_document & (wrote_note | note_shared_with_unit))
rules.add_perm("notes.change_note", sees_note_document & wrote_note)


# ---- API access tokens (B4) --------------------------------------------------------------------
# Every account may make tokens for itself: a token carries the account's own rights, never more,
# so reading through the API is what the pages already allow. Tokens are personal: nobody,
# not even an admin, lists or revokes another account's (deactivating the account stops them all).


@rules.predicate
def owns_token(user: User, token: object) -> bool:
    owner_id = getattr(token, "owner_id", None)
    return token is not None and user.is_authenticated and owner_id == user.pk


rules.add_perm("api.view_own_tokens", is_authenticated)
rules.add_perm("api.add_accesstoken", is_authenticated)
rules.add_perm("api.revoke_accesstoken", owns_token)


# ---- two-factor sign-in and sessions (B8) -------------------------------------------------------
# Everyone may enrol an authenticator; the roles in TWO_FACTOR_REQUIRED_ROLES may only enrol again,
# never turn it off. The pages ask these rules through rules.has_perm (the rule set alone).
# Sessions are each account's own; an admin ends someone's sessions by a reset or a deactivation.


@rules.predicate
def two_factor_required(user: User) -> bool:
    from accounts.two_factor import required_for

    return user.is_authenticated and required_for(user)


@rules.predicate
def owns_session(user: User, session: object) -> bool:
    return session is not None and getattr(session, "user_id", None) == user.pk


rules.add_perm("accounts.enrol_two_factor", is_authenticated)
rules.add_perm("accounts.remove_two_factor", is_authenticated & ~two_factor_required)
rules.add_perm("accounts.reset_two_factor", is_admin)
rules.add_perm("accounts.end_session", is_authenticated & owns_session)


# ---- the IT centre's admin pages (Django's admin) ----------------------------------------------
# What Django's admin asks ("app.view_model" and the like), for the admins only. The admin shows
# meetings, documents and downloads read-only and without drafts, for support ("which meeting,
# when, who downloaded"); the documents' files, comments and notes are not in it.
IT_CENTRE_MANAGES = {
    "accounts": ["unit", "person", "committee", "committeemembership", "user"],
    "catalogs": [
        "meetingform",
        "meetingtype",
        "meetingfield",
        "documenttype",
        "documentfield",
        "location",
        "documentregister",
    ],
    # Digital signatures (B14): the signers' key references (never the keys) and the trusted roots.
    "signatures": ["signingkey", "trustedroot"],
}
IT_CENTRE_READS = {
    "accounts": ["loginevent"],
    "auditlog": ["logentry"],
    "feedback": ["feedback"],
    "notifications": ["outboxmessage"],
    "documents": ["download"],
    # The signed PDFs' rows (who signed what, when): the files themselves are not in the admin.
    "signatures": ["signedpdf"],
}
for _app, _models in IT_CENTRE_MANAGES.items():
    for _model in _models:
        for _action in ("view", "add", "change"):
            rules.add_perm(f"{_app}.{_action}_{_model}", is_admin)
for _app, _models in IT_CENTRE_READS.items():
    for _model in _models:
        if not rules.perm_exists(f"{_app}.view_{_model}"):
            rules.add_perm(f"{_app}.view_{_model}", is_admin)
# "meetings.view_meeting" and "documents.view_document" are the pages' object rules; the admin's
# read-only lists of published meetings and their documents' names ask their own.
rules.add_perm("meetings.list_in_admin", is_admin)
rules.add_perm("documents.list_in_admin", is_admin)
# A root the province no longer trusts is removed (the checks run again without it).
rules.add_perm("signatures.delete_trustedroot", is_admin)
# A committee's members are edited inline on the committee: removing one deletes its row.
rules.add_perm("accounts.delete_committeemembership", is_admin)
# Answering feedback and sending an outbox message again are changes.
rules.add_perm("feedback.change_feedback", is_admin)
rules.add_perm("notifications.change_outboxmessage", is_admin)
ADMIN_APPS = frozenset(IT_CENTRE_MANAGES) | frozenset(IT_CENTRE_READS) | {"meetings", "documents"}


class RulesBackend(rules.permissions.ObjectPermissionBackend):
    """django-rules' backend, answering also Django admin's "may this account see the app at all"
    from the rules above (Django's own answer reads permission rows nobody here keeps)."""

    def has_module_perms(self, user_obj: User, app_label: str) -> bool:
        return app_label in ADMIN_APPS and bool(is_admin(user_obj)) and user_obj.is_active
