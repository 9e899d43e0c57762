"""Votes in the meeting (B6): a question, its options, who took part and what was chosen.

Secrecy by construction: a secret vote keeps who took part (`Participation`, one row per
invitation, no time, nothing ordered with the choices) apart from what was chosen (`Option.tally`,
a counter updated with F() on every option of the vote at once). There is no per-ballot row of
choices for a secret vote, so nothing in the database ties a ballot to its voter. A named vote
also keeps one `Choice` row per option chosen by an invitation: the named list."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import AgendaItem, Invitation, Meeting


class Vote(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang biểu quyết")
        CLOSED = "closed", _("Đã kết thúc")

    class Electorate(models.TextChoices):
        PRESENT = "present", _("Thành phần mời có mặt (theo điểm danh)")
        INVITED = "invited", _("Tất cả thành phần mời")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="votes"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("nội dung họp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="votes",
    )
    question = models.TextField(_("nội dung biểu quyết"))
    is_secret = models.BooleanField(_("bỏ phiếu kín"), default=False)
    max_choices = models.PositiveSmallIntegerField(_("số lựa chọn tối đa"), default=1)
    electorate = models.CharField(
        _("ai biểu quyết"), max_length=20, choices=Electorate.choices, default=Electorate.PRESENT
    )
    may_change = models.BooleanField(_("được thay đổi lựa chọn khi đang biểu quyết"), default=False)
    closes_at = models.DateTimeField(_("tự động kết thúc lúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("mở lúc"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kết thúc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Taken when the vote closes, under the vote's lock: the result's denominators and ballots.
    final_ballots = models.PositiveIntegerField(_("số phiếu"), null=True, blank=True)
    final_present = models.PositiveIntegerField(_("số có mặt"), null=True, blank=True)
    final_invited = models.PositiveIntegerField(_("số được mời"), null=True, blank=True)

    class Meta:
        verbose_name = _("biểu quyết")
        verbose_name_plural = pgettext_lazy("plural", "biểu quyết")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["meeting", "status"], name="vote_meeting_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_choices__gte=1), name="vote_one_choice"),
            models.CheckConstraint(
                condition=models.Q(is_secret=False) | models.Q(may_change=False),
                name="secret_vote_is_final",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Option(models.Model):
    vote = models.ForeignKey(
        Vote, verbose_name=_("biểu quyết"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    label = models.CharField(_("lựa chọn"), max_length=200)
    tally = models.PositiveIntegerField(_("số phiếu"), default=0)

    class Meta:
        verbose_name = _("lựa chọn")
        verbose_name_plural = pgettext_lazy("plural", "lựa chọn")
        ordering = ["vote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "position"], name="unique_option_position")
        ]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """That an invitation took part: one per invitation and vote (a double tap is one vote).
    Deliberately without a time or the account, so that for a secret vote it says who took part
    and nothing more."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("biểu quyết"), on_delete=models.CASCADE, related_name="participations"
    )
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("thành phần mời"),
        on_delete=models.CASCADE,
        related_name="vote_participations",
    )

    class Meta:
        verbose_name = _("lượt biểu quyết")
        verbose_name_plural = pgettext_lazy("plural", "lượt biểu quyết")
        constraints = [
            models.UniqueConstraint(fields=["vote", "invitation"], name="one_vote_per_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} – {self.invitation_id}"


class Choice(models.Model):
    """A named vote's choice: who (the invitation, and the account that cast it) chose what.
    Never written for a secret vote."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("biểu quyết"), on_delete=models.CASCADE, related_name="choices"
    )
    invitation = models.ForeignKey(
        Invitation, verbose_name=_("thành phần mời"), on_delete=models.CASCADE, related_name="+"
    )
    option = models.ForeignKey(
        Option, verbose_name=_("lựa chọn"), on_delete=models.CASCADE, related_name="choices"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người biểu quyết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lựa chọn theo tên")
        verbose_name_plural = pgettext_lazy("plural", "lựa chọn theo tên")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "invitation", "option"], name="one_choice_per_option"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} – {self.option_id}"
