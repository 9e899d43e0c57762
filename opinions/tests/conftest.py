"""A request of the office's clerk, sent to the department (its leader and unit clerk answer for
it), with two questions, a deadline in three days and a document."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import PersonFactory, UnitFactory
from core.samples import pdf_bytes
from opinions import services
from opinions.models import OpinionRequest

QUESTIONS = ["Thông qua dự thảo Quyết định ban hành quy chế", "Đồng ý mức phí 50.000 đồng"]


def make_request(clerk, *, units=(), committees=(), persons=(), sent=True, days=3, **kw):
    opinion = services.request_create(
        by=clerk,
        title=kw.get("title", "Lấy ý kiến dự thảo Quy chế làm việc"),
        description=kw.get("description", "Đề nghị các đơn vị cho ý kiến."),
        deadline=timezone.now() + timedelta(days=days),
        questions=kw.get("questions", QUESTIONS),
        addressees=services.Addressees(
            units=list(units), committees=list(committees), persons=list(persons)
        ),
        files=kw.get("files", ()),
    )
    if sent:
        opinion = services.request_send(request=opinion, by=clerk)
    return opinion


@pytest.fixture
def opinion(role_users, department) -> OpinionRequest:
    return make_request(
        role_users["clerk"],
        units=[department],
        files=[SimpleUploadedFile("Dự thảo quy chế.pdf", pdf_bytes("du thao"))],
    )


@pytest.fixture
def draft(role_users, department) -> OpinionRequest:
    return make_request(role_users["clerk"], units=[department], sent=False, title="Dự thảo phiếu")


def answers_for(opinion: OpinionRequest, *choices: tuple[str, str]) -> list[services.Given]:
    questions = list(opinion.questions.order_by("position"))
    return [
        services.Given(question_id=q.pk, choice=c, comment=t)
        for q, (c, t) in zip(questions, choices, strict=True)
    ]


@pytest.fixture
def worked(role_users, department):
    """Four recipients: STC (the department), Sở Nội vụ, Sở Y tế and a person; the person has
    not answered.
    Q1: STC agree, SNV agree, SYT disagree ("Cần thêm thời gian")  -> 2 / 1 / 0
    Q2: STC other ("Giảm phí"), SNV agree ("Đồng ý, đề nghị sớm ban hành"), SYT disagree
        -> 1 / 1 / 1, comments from STC and SNV."""
    clerk = role_users["clerk"]
    snv, syt = UnitFactory(name="Sở Nội vụ"), UnitFactory(name="Sở Y tế")
    person = PersonFactory(full_name="Trần Thị Bình")
    opinion = make_request(clerk, units=[department, snv, syt], persons=[person])
    leader = role_users["unit_leader"]
    rows = {r.unit_id: r for r in opinion.recipients.all()}
    given = {
        department.pk: (("agree", ""), ("other", "Giảm phí")),
        snv.pk: (("agree", ""), ("agree", "Đồng ý, đề nghị sớm ban hành")),
        syt.pk: (("disagree", "Cần thêm thời gian"), ("disagree", "")),
    }
    for unit_id, choices in given.items():
        services.answer_submit(
            recipient=rows[unit_id], by=leader, given=answers_for(opinion, *choices)
        )
    return {"opinion": opinion, "snv": snv, "syt": syt, "person": person}
