"""Queries kept for a shape of account (accounts.kept): the rows read from a kept query, with the
account's ids and the time put in, are those of the query built for the account; a builder whose
query depends on anything else is not kept, and its rows are still right."""

from datetime import timedelta

import pytest
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import kept
from accounts.models import User
from accounts.tests.factories import UserFactory
from catalogs.models import MeetingType
from meetings.models import Invitation, Meeting
from notifications.models import Event, Notification

pytestmark = pytest.mark.django_db


def upcoming(user: User, now) -> object:
    """The invitations of the account's unit to meetings starting after `now`, the nearest
    first: the account's id and the time as they are."""
    return (
        Invitation.objects.filter(unit_id=user.unit_id, meeting__start_at__gt=now)
        .exclude(meeting__created_by_id=user.pk)
        .select_related("meeting")
        .order_by("meeting__start_at", "id")
    )


def pks(rows) -> list[int]:
    return [row.pk for row in rows]


def test_rows_of_a_kept_query_are_each_accounts_own_at_each_time(
    role_users, meetings, other_department
):
    member = role_users["member"]
    # Another account of the member's shape, in another unit.
    outsider = UserFactory(username="thanh-vien-khac", role=member.role, unit=other_department)
    assert kept.shape_of(outsider) == kept.shape_of(member)
    Invitation.objects.create(meeting=meetings["published"], unit=other_department)
    meeting = meetings["published"]
    kept.forget()
    now = timezone.now()
    mine = kept.kept_rows("test.upcoming", upcoming, member, now)
    assert pks(mine) == pks(upcoming(member, now)) and mine
    # The related meeting came with the row, as select_related reads it.
    assert mine[0].meeting.title == Invitation.objects.get(pk=mine[0].pk).meeting.title
    assert list(kept._kept.values())[0] is not None
    # Another account of the shape (another unit) and another time: from the same kept query.
    theirs = kept.kept_rows("test.upcoming", upcoming, outsider, now)
    assert pks(theirs) == pks(upcoming(outsider, now)) and theirs
    assert not set(pks(theirs)) & set(pks(mine))
    later = meeting.start_at + timedelta(minutes=1)
    assert kept.kept_rows("test.upcoming", upcoming, member, later) == []
    assert len(kept._kept) == 1
    # A time given as a value in the key is another query.
    rows = kept.kept_rows(
        "test.since", lambda u, now, since: upcoming(u, since), member, now, since=later
    )
    assert rows == [] and len(kept._kept) == 2
    # Values rather than model instances, as dicts, tuples or flat.
    for name, shaped in {
        "dicts": lambda q: q.values("pk", "meeting__title"),
        "tuples": lambda q: q.values_list("pk", "meeting__start_at"),
        "flat": lambda q: q.values_list("pk", flat=True),
    }.items():
        got = kept.kept_rows(
            name, lambda u, now, shaped=shaped: shaped(upcoming(u, now)), member, now
        )
        assert got == list(shaped(upcoming(member, now))) and got, name
        assert kept._kept[next(reversed(kept._kept))] is not None, name


def test_a_query_that_depends_on_more_than_the_ids_and_the_time_is_not_kept(role_users, meetings):
    member = role_users["member"]
    now = timezone.now()
    builders = {
        # Reads rows while building (refused, then built for the account).
        "reads": lambda u, now: Meeting.objects.filter(
            pk__in=list(
                Invitation.objects.filter(unit_id=u.unit_id).values_list("meeting_id", flat=True)
            )
        ),
        "reads, refusal caught": lambda u, now: _first_or_none(u),
        # An id or the time used otherwise than as they are.
        "id shifted": lambda u, now: Meeting.objects.filter(pk=u.pk + 1),
        "time shifted": lambda u, now: Meeting.objects.filter(start_at__gt=now - timedelta(days=1)),
        "day of the time": lambda u, now: Meeting.objects.filter(start_at__date=now.date()),
        "its own clock": lambda u, now: Meeting.objects.filter(start_at__gt=timezone.now()),
        # Rows that prefetch (their own queries, built for the stand-in).
        "prefetches": lambda u, now: Meeting.objects.filter(pk__gt=0).prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.filter(unit_id=u.unit_id))
        ),
    }
    for name, build in builders.items():
        kept.forget()
        rows = kept.kept_rows(name, build, member, now)
        assert list(kept._kept.values()) == [None], name
        assert rows == list(build(member, now)), name
    prefetched = kept.kept_rows("prefetches", builders["prefetches"], member, now)
    mine = {i.pk for m in prefetched for i in m.invitations.all()}
    assert mine == set(Invitation.objects.filter(unit=member.unit).values_list("pk", flat=True))


def _first_or_none(user: User) -> object:
    try:
        first = Invitation.objects.filter(unit_id=user.unit_id).order_by("id").first()
    except Exception:
        first = None
    return Meeting.objects.filter(pk=first.meeting_id if first else 0)


def test_a_query_matching_nothing_and_one_in_another_language_are_kept_apart(role_users):
    member = role_users["member"]
    now = timezone.now()
    kept.forget()
    assert kept.kept_rows("none", lambda u, now: Meeting.objects.none(), member, now) == []
    assert kept._kept[next(iter(kept._kept))].sql == ""
    # The shape decides whether a builder answers `.none()`: another shape, another query.
    nobody = UserFactory(username="chua-co-don-vi", role=User.Role.MEMBER, unit=None)
    build = lambda u, now: (  # noqa: E731
        Meeting.objects.none() if u.unit_id is None else Meeting.objects.filter(pk__gt=0)
    )
    assert kept.kept_rows("by shape", build, nobody, now) == []
    assert kept.kept_rows("by shape", build, member, now) == list(Meeting.objects.filter(pk__gt=0))
    with translation.override("en"):
        kept.kept_rows("none", lambda u, now: Meeting.objects.none(), member, now)
    assert len(kept._kept) == 4


def of_meeting(user: User, now, *, meeting_id: int | None) -> object:
    invitations = upcoming(user, now)
    return invitations if meeting_id is None else invitations.filter(meeting_id=meeting_id)


def test_ids_put_in_like_the_accounts_own(role_users, meetings):
    """A meeting's id given to put in: one kept query for every meeting, another for none."""
    member = role_users["member"]
    now = timezone.now() - timedelta(days=400)
    kept.forget()
    seen = set()
    for meeting in Meeting.objects.all():
        rows = kept.kept_rows("of", of_meeting, member, now, ids={"meeting_id": meeting.pk})
        assert pks(rows) == pks(of_meeting(member, now, meeting_id=meeting.pk)), meeting.title
        seen |= set(pks(rows))
    assert len(seen) >= 2  # rows of several meetings, each from the same kept query
    assert len(kept._kept) == 1 and None not in kept._kept.values()
    every = kept.kept_rows("of", of_meeting, member, now, ids={"meeting_id": None})
    assert set(pks(every)) == seen == set(pks(of_meeting(member, now, meeting_id=None)))
    assert len(kept._kept) == 2


def test_ids_the_orm_would_convert_or_refuse_are_not_put_in(role_users, meetings):
    """An id given as text, or beyond a column's range (a URL's id), is left to the ORM."""
    member = role_users["member"]
    meeting = meetings["published"]
    now = timezone.now() - timedelta(days=400)
    kept.forget()
    for odd in (str(meeting.pk), 2**63, -(2**63) - 1):
        outcomes = []
        for read in (
            lambda odd=odd: kept.kept_rows("of", of_meeting, member, now, ids={"meeting_id": odd}),
            lambda odd=odd: list(of_meeting(member, now, meeting_id=odd)),
        ):
            try:
                outcomes.append(pks(read()))
            except OverflowError as error:  # SQLite's, beyond its integers, either way
                outcomes.append(type(error))
        assert outcomes[0] == outcomes[1], odd
    assert pks(kept.kept_rows("of", of_meeting, member, now, ids={"meeting_id": str(meeting.pk)}))
    assert not kept._kept


def test_the_signed_in_account_and_its_unread_count_are_read_through_kept_queries(
    client_for, role_users
):
    """Every signed-in request reads its account and the bell's count through a query kept once
    for all (accounts.backends, notifications.context_processors): each page gets its own
    account and count; a deactivated account is signed out at its next request."""
    member = role_users["member"]
    event = Event.objects.create(kind=Event.Kind.NOTICE, title="Thư mời họp", link="/")
    Notification.objects.create(user=member, event=event)
    later = Event.objects.create(kind=Event.Kind.NOTICE, title="Đã đọc", link="/")
    Notification.objects.create(user=member, event=later, read_at=timezone.now())
    kept.forget()
    url = reverse("accounts:account")
    for role, unread in (("member", 1), ("clerk", 0), ("member", 1)):
        answer = client_for(role).get(url)
        assert answer.wsgi_request.user.pk == role_users[role].pk
        page = answer.content.decode()
        assert (f'data-unread="{unread}"' in page) is bool(unread)
    names = {key[0] for key in kept._kept}
    assert {"accounts.signed_in", "notifications.unread"} <= names
    assert all(kept._kept[key] is not None for key in kept._kept if key[0] in names)
    client = client_for("member")
    member.is_active = False
    member.save()
    assert client.get(url).status_code == 302


def test_a_32_bit_column_is_kept_and_a_lookup_nothing_only_for_the_stand_ins_is_not(role_users):
    """A device's id is a 32-bit column (django-otp's): the stand-ins' ids are within its range,
    so its query is kept and reads the device. A column that holds no negative number (a
    catalog entry's order) answers "nothing" for the stand-ins' ids without asking the database:
    that is not kept as the shape's answer."""
    member = role_users["member"]
    device = TOTPDevice.objects.create(user=member, name="điện thoại", confirmed=True)
    assert TOTPDevice._meta.pk.get_internal_type() == "AutoField"
    kept.forget()

    def devices(anyone, now, pk):
        return TOTPDevice.objects.filter(id=pk)

    now = timezone.now()
    for _ in range(2):
        rows = kept.kept_rows("device", devices, kept.ANYONE, now, ids={"pk": device.pk})
        assert pks(rows) == [device.pk]
    assert all(form is not None and form.sql for form in kept._kept.values())
    kind = MeetingType.objects.create(code="thu-tu", name="Họp thử", order=member.pk)

    def ordered(user, now):
        return MeetingType.objects.filter(order=user.pk, code="thu-tu")

    for _ in range(2):
        assert pks(kept.kept_rows("ordered", ordered, member, now)) == [kind.pk]
    assert [form for key, form in kept._kept.items() if key[0] == "ordered"] == [None]


def test_the_second_factor_is_read_through_a_kept_query(client_for):
    """The clerk signs in with a second factor: each page reads the session's device through
    the kept query (accounts.middleware.OTPMiddleware); a session naming no device that can be
    read is asked for the code again."""
    kept.forget()
    client = client_for("clerk")
    url = reverse("accounts:account")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert any(key[0].startswith("otp.device.") for key in kept._kept)
    for odd in ("otp_totp.totpdevice/khong-so", "khong.co/1", "accounts.user/1", "hỏng"):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = odd
        session.save()
        answer = client.get(url)
        assert answer.status_code == 302, odd
        assert reverse("accounts:two_factor_verify") in answer["Location"], odd


def test_threads_missing_the_same_form_at_once_build_it_once():
    """A minute's first menu counts, a hall's first ballot pages: the process's threads that miss
    the same form wait for the first to build it."""
    import threading
    import time
    from collections import OrderedDict

    store: OrderedDict = OrderedDict()
    built = []

    def make():
        built.append(threading.get_ident())
        time.sleep(0.05)  # the others arrive while it is built
        return ("SELECT 1", ())

    start = threading.Barrier(4)
    got = []

    def ask():
        start.wait()
        got.append(kept._kept_form(store, ("menu", 1), make))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1
    assert got == [("SELECT 1", ())] * 4
    # Another key is built again; a builder asking for another form does not wait for itself.
    assert kept._kept_form(store, ("menu", 2), lambda: kept._kept_form(store, ("x",), make)) == (
        "SELECT 1",
        (),
    )
    assert len(built) == 2
