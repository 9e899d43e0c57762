"""The named list of a closed public vote: who chose what, and those present who did not vote,
listed as "Không biểu quyết" (B6)."""

from django.urls import reverse

from voting import selectors, services
from voting.models import Option, Vote


def _vote(room, role_users) -> Vote:
    return services.vote_open(
        meeting=room["meeting"], by=role_users["secretary"], question="Thông qua kế hoạch?"
    )


def test_those_present_who_did_not_vote_are_listed_as_not_voting(client_for, role_users, room):
    vote = _vote(room, role_users)
    agree = Option.objects.get(vote=vote, position=1)
    services.vote_cast(
        vote=vote, invitation=room["own"], by=role_users["unit_leader"], option_ids=[agree.pk]
    )
    services.vote_close(vote=vote, by=role_users["secretary"])
    rows = {row.invitation.pk: row for row in selectors.named_list(vote)}
    silent = [voter.invitation.pk for voter in room["present"]]
    assert set(rows) == {room["own"].pk, *silent}, "the absent unit is not listed"
    assert rows[room["own"].pk].labels == ["Đồng ý"] and rows[room["own"].pk].cast
    for pk in silent:
        assert rows[pk].labels == ["Không biểu quyết"] and not rows[pk].cast and rows[pk].by == ""
    page = client_for("member").get(reverse("voting:detail", args=[vote.pk])).content.decode()
    listed = page[page.index("Danh sách biểu quyết theo tên") :]
    for voter in room["present"]:
        assert f"{voter.invitation.invitee}</strong>: Không biểu quyết" in listed
    assert str(room["absent"].invitation.invitee) not in listed


def test_a_secret_vote_still_has_no_named_list(role_users, room):
    vote = services.vote_open(
        meeting=room["meeting"], by=role_users["secretary"], question="Kín?", is_secret=True
    )
    services.vote_close(vote=vote, by=role_users["secretary"])
    assert selectors.named_list(vote) == []
