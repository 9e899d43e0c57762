"""Answers, their history and the deadline; sending and its notifications; reminders once; the
summary and the statistics' figures on a hand-worked dataset (run on SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PersonFactory, UnitFactory, UserFactory
from notifications.models import Event, Notification, OutboxMessage
from opinions import selectors, services
from opinions.models import Answer, AnswerChange, OpinionRequest, Recipient

from .conftest import answers_for, make_request

pytestmark = pytest.mark.django_db


def test_sending_notifies_the_recipients_once_in_the_inbox_and_by_mail(role_users, draft):
    from notifications.messages import build_message

    department = draft.recipients.get().unit
    department.email = "stc@example.gov.vn"
    department.save()
    sent = services.request_send(request=draft, by=role_users["clerk"])
    assert sent.status == OpinionRequest.Status.SENT and sent.sent_at is not None
    event = Event.objects.get(kind=Event.Kind.NOTICE)
    assert event.meeting_id is None and event.link == f"/lay-y-kien/{draft.pk}/"
    assert "Dự thảo phiếu" in event.title
    notified = set(
        Notification.objects.filter(event=event).values_list("user__username", flat=True)
    )
    assert {"leader1", "unitclerk1"} <= notified
    assert "clerk1" not in notified and "outsider1" not in notified
    # The department's other staff cannot open the request: they are not told of it.
    assert "member1" not in notified
    message = OutboxMessage.objects.get(event=event, to_email="stc@example.gov.vn")
    email = build_message(message)
    assert email.subject.startswith("Phiếu lấy ý kiến: Dự thảo phiếu")
    assert f"/lay-y-kien/{draft.pk}/" in email.body and not email.attachments
    # Sending twice is harmless: no second event.
    services.request_send(request=sent, by=role_users["clerk"])
    assert Event.objects.filter(kind=Event.Kind.NOTICE).count() == 1
    assert LogEntry.objects.get_for_object(sent).count() >= 2  # created, then sent


def test_answers_change_until_the_deadline_and_every_change_is_kept(role_users, opinion):
    recipient = opinion.recipients.get()
    leader, unit_clerk = role_users["unit_leader"], role_users["unit_clerk"]
    first = answers_for(opinion, ("agree", ""), ("other", "Đề nghị giảm xuống 30.000 đồng"))
    assert services.answer_submit(recipient=recipient, by=leader, given=first) == 2
    # A double submit writes nothing more.
    assert services.answer_submit(recipient=recipient, by=leader, given=first) == 0
    assert AnswerChange.objects.filter(recipient=recipient).count() == 2
    second = answers_for(
        opinion, ("disagree", "Chưa phù hợp"), ("other", "Đề nghị giảm xuống 30.000 đồng")
    )
    assert services.answer_submit(recipient=recipient, by=unit_clerk, given=second) == 1
    recipient.refresh_from_db()
    assert recipient.answered_by == unit_clerk and recipient.answered_at <= recipient.changed_at
    q1 = opinion.questions.get(position=1)
    current = Answer.objects.get(recipient=recipient, question=q1)
    assert (current.choice, current.comment, current.by) == ("disagree", "Chưa phù hợp", unit_clerk)
    change = AnswerChange.objects.filter(recipient=recipient, question=q1).order_by("id").last()
    assert (change.previous_choice, change.choice, change.by) == ("agree", "disagree", unit_clerk)
    assert LogEntry.objects.get_for_object(current).count() == 2  # given, then changed


def test_an_answer_after_the_deadline_is_refused_naming_the_deadline(role_users, opinion):
    recipient = opinion.recipients.get()
    given = answers_for(opinion, ("agree", ""), ("agree", ""))
    late = opinion.deadline + timedelta(seconds=1)
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(
            recipient=recipient, by=role_users["unit_leader"], given=given, now=late
        )
    deadline = timezone.localtime(opinion.deadline).strftime("%H:%M %d/%m/%Y")
    assert deadline in refused.value.messages[0]
    assert not Answer.objects.filter(recipient=recipient).exists()
    assert not AnswerChange.objects.exists()


def test_a_closed_request_takes_no_answer_and_other_needs_words(role_users, opinion):
    recipient = opinion.recipients.get()
    leader = role_users["unit_leader"]
    with pytest.raises(ValidationError, match="ghi rõ ý kiến"):
        services.answer_submit(
            recipient=recipient,
            by=leader,
            given=answers_for(opinion, ("other", " "), ("agree", "")),
        )
    with pytest.raises(ValidationError, match="nội dung 2"):
        services.answer_submit(
            recipient=recipient, by=leader, given=answers_for(opinion, ("agree", ""), ("maybe", ""))
        )
    services.request_close(request=opinion, by=role_users["clerk"])
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.answer_submit(
            recipient=recipient, by=leader, given=answers_for(opinion, ("agree", ""), ("agree", ""))
        )
    assert not Answer.objects.exists()


def test_a_draft_checks_its_questions_deadline_and_files(role_users, department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clerk = role_users["clerk"]
    with pytest.raises(ValidationError, match="ít nhất một"):
        make_request(clerk, units=[department], questions=["  ", ""])
    with pytest.raises(ValidationError, match="tương lai"):
        make_request(clerk, units=[department], days=-1)
    fake = SimpleUploadedFile("../../etc/Báo cáo.pdf", b"MZ this is not a pdf")
    with pytest.raises(ValidationError, match="Báo cáo.pdf"):
        make_request(clerk, units=[department], files=[fake])
    assert not OpinionRequest.objects.exists()
    with pytest.raises(ValidationError, match="ít nhất một nơi"):
        make_request(clerk)


def test_the_reminder_goes_once_to_those_who_have_not_answered(role_users, department):
    clerk = role_users["clerk"]
    other = UnitFactory(name="Sở Nội vụ")
    other_leader = UserFactory(username="leader-snv", role=User.Role.UNIT_LEADER, unit=other)
    opinion = make_request(clerk, units=[department, other], days=3)
    done = Recipient.objects.get(request=opinion, unit=department)
    services.answer_submit(
        recipient=done,
        by=role_users["unit_leader"],
        given=answers_for(opinion, ("agree", ""), ("agree", "")),
    )
    too_early = opinion.deadline - timedelta(days=2)
    assert services.remind_due(now=too_early) == 0
    moment = opinion.deadline - timedelta(hours=12)
    assert services.remind_due(now=moment) == 1
    assert services.remind_due(now=moment) == 0
    assert services.remind_due(now=moment + timedelta(hours=1)) == 0
    event = Event.objects.get(key=f"opinion-reminder:{opinion.pk}")
    reached = set(Notification.objects.filter(event=event).values_list("user_id", flat=True))
    assert reached == {other_leader.pk}
    opinion.refresh_from_db()
    assert opinion.reminded_at == moment


def test_the_reminder_is_claimed_by_one_worker_only(role_users, opinion):
    """A second pass that read the request as due before the first claimed it finds the claim
    taken (the conditional UPDATE matches no row) and sends nothing."""
    moment = opinion.deadline - timedelta(hours=1)
    OpinionRequest.objects.filter(pk=opinion.pk).update(reminded_at=moment)
    assert services.remind_due(now=moment) == 0
    assert not Event.objects.filter(key__startswith="opinion-reminder").exists()


def test_the_summary_counts_a_hand_worked_dataset(worked, department):
    """Each question names every recipient once, under the answer it gave (an agree with words
    apart from a plain agree), the silent under "none"."""
    summary = selectors.summary_for(worked["opinion"])
    q1, q2 = summary.questions
    person = "Trần Thị Bình, Chuyên viên, " + worked["person"].unit.name

    def replies(row):
        return {k: [(r.name, r.comment) for r in v] for k, v in row.by_kind.items()}

    assert replies(q1) == {
        "agree": [(department.name, ""), ("Sở Nội vụ", "")],
        "agree_comment": [],
        "disagree": [("Sở Y tế", "Cần thêm thời gian")],
        "other": [],
        "none": [(person, "")],
    }
    assert replies(q2) == {
        "agree": [],
        "agree_comment": [("Sở Nội vụ", "Đồng ý, đề nghị sớm ban hành")],
        "disagree": [("Sở Y tế", "")],
        "other": [(department.name, "Giảm phí")],
        "none": [(person, "")],
    }
    assert [q1.count(kind) for kind in selectors.KINDS] == [2, 0, 1, 0, 1]
    assert (summary.recipients, summary.answered, summary.missing) == (4, 3, 1)
    assert summary.still_open


def test_figures_per_unit_count_received_on_time_and_not_answered(worked, role_users, department):
    opinion = worked["opinion"]
    # A second request to the department and SNV, past its deadline; only SNV answered in time.
    second = make_request(role_users["clerk"], units=[department, worked["snv"]], days=1)
    snv_row = second.recipients.get(unit=worked["snv"])
    services.answer_submit(
        recipient=snv_row,
        by=role_users["unit_leader"],
        given=answers_for(second, ("agree", ""), ("agree", "")),
    )
    # A draft is nobody's figure.
    make_request(role_users["clerk"], units=[department], sent=False)
    start = opinion.deadline - timedelta(days=30)
    figures = selectors.figures_per_unit(start, opinion.deadline + timedelta(days=1))
    stc, snv, syt = figures[department.pk], figures[worked["snv"].pk], figures[worked["syt"].pk]
    assert (stc.received, stc.on_time, stc.not_answered) == (2, 1, 1)
    assert (snv.received, snv.on_time, snv.not_answered) == (2, 2, 0)
    assert (syt.received, syt.on_time, syt.not_answered) == (1, 1, 0)
    # The person is no unit's figure.
    assert set(figures) == {department.pk, worked["snv"].pk, worked["syt"].pk}


def test_the_statistics_page_shows_the_figures_per_unit(worked, role_users, department, client_for):
    from reports.selectors import Period, Scope, opinion_answers

    day = timezone.localdate(worked["opinion"].deadline)
    period = Period(start=day - timedelta(days=1), end=day)
    table = opinion_answers(Scope(), period)
    rows = {row[0]: row[1:4] for row in table.rows}
    assert rows == {department.name: [1, 1, 0], "Sở Nội vụ": [1, 1, 0], "Sở Y tế": [1, 1, 0]}
    assert table.total[1:4] == [3, 3, 0]
    own = opinion_answers(Scope(unit=department), period)
    assert [row[0] for row in own.rows] == [department.name]
    # Outside the period: nothing.
    assert (
        opinion_answers(
            Scope(), Period(start=day + timedelta(days=1), end=day + timedelta(days=2))
        ).rows
        == []
    )
    page = client_for("clerk").get(
        reverse("reports:statistics"),
        {"tu": period.start.strftime("%d/%m/%Y"), "den": period.end.strftime("%d/%m/%Y")},
    )
    html = page.content.decode()
    assert 'id="chart-data-opinions"' in html and "Trả lời phiếu lấy ý kiến" in html


def test_committees_and_persons_answer_through_their_own_accounts(role_users):
    from accounts.tests.factories import CommitteeFactory

    committee = CommitteeFactory(name="Ban Chỉ đạo Chuyển đổi số")
    committee_account = UserFactory(
        username="bcd-cds", role=User.Role.MEMBER, kind=User.Kind.COMMITTEE, committee=committee
    )
    person = PersonFactory(full_name="Lê Văn An")
    own = UserFactory(username="levanan", role=User.Role.MEMBER, person=person)
    opinion = make_request(role_users["clerk"], committees=[committee], persons=[person])
    by_committee = opinion.recipients.get(committee=committee)
    by_person = opinion.recipients.get(person=person)
    assert committee_account.has_perm("opinions.answer_request", opinion)
    assert own.has_perm("opinions.answer_request", opinion)
    assert not role_users["unit_leader"].has_perm("opinions.view_request", opinion)
    assert selectors.recipients_for(committee_account, opinion) == [by_committee]
    assert selectors.recipients_for(own, opinion) == [by_person]
    given = answers_for(opinion, ("agree", ""), ("disagree", "Không phù hợp"))
    services.answer_submit(recipient=by_person, by=own, given=given)
    assert [r.answered_by for r in Recipient.objects.filter(request=opinion).order_by("id")] == [
        None,
        own,
    ]


def test_the_reminder_pass_is_scheduled_and_runs(role_users, opinion):
    from django_q.models import Schedule

    from opinions.schedules import ensure_schedules
    from opinions.tasks import send_reminders

    ensure_schedules()
    ensure_schedules()
    job = Schedule.objects.get(name="opinions:reminders")
    assert job.func == "opinions.tasks.send_reminders" and job.minutes == 15
    assert send_reminders() == 0  # three days before the deadline: nothing due yet
