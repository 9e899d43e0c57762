"""Counts kept per unit and month for the statistics and the usage report (S3).

A province-year is a million invitations, receipts, downloads and sign-ins; the reports read
these few thousand rows instead. Each row holds exactly what a recount of the raw rows gives for
its unit and month (see `reports.figures`): kept as the events happen and rebuilt from the raw
rows by `manage.py rebuild_figures`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The unit key of events by accounts without a unit (admins): they count in the province's totals.
NO_UNIT = 0
# The account key of sign-ins whose account was deleted since: counted, but as no account.
NO_USER = 0


class UnitMonth(models.Model):
    """One unit's figures for one local month.

    The first group counts the unit's invitations to published meetings that start in the month
    (each meeting once): the compliance table and the usage report's invitations and attendance.
    The second group counts events that happened in the month, whatever the meeting."""

    unit_key = models.IntegerField(_("đơn vị"))  # a Unit's id, or NO_UNIT
    month = models.DateField(_("tháng"))  # its first day
    invited = models.PositiveIntegerField(default=0)
    viewed = models.PositiveIntegerField(default=0)
    downloaded = models.PositiveIntegerField(default=0)
    named = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    commented = models.PositiveIntegerField(default=0)
    rolled = models.PositiveIntegerField(default=0)  # invitations to meetings whose roll was taken
    rolled_present = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu đơn vị theo tháng")
        verbose_name_plural = _("số liệu đơn vị theo tháng")
        constraints = [
            models.UniqueConstraint(fields=["month", "unit_key"], name="unit_month_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_key} {self.month:%m/%Y}"


class AccountMonth(models.Model):
    """An account's successful sign-ins in one local month, under the unit it had then: the
    usage report counts accounts that signed in (each once over the period) from these rows."""

    user_key = models.IntegerField(_("tài khoản"))  # a User's id, or NO_USER
    unit_key = models.IntegerField(_("đơn vị"))
    month = models.DateField(_("tháng"))
    logins = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lượt đăng nhập theo tháng")
        verbose_name_plural = _("lượt đăng nhập theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "user_key", "unit_key"], name="account_month_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_key} {self.unit_key} {self.month:%m/%Y}"


class MeetingMonth(models.Model):
    """The meetings that start in one local month (not drafts, not deleted), per organiser,
    field, type and form (0: none): the statistics' meeting tables and the usage report's
    totals for the province."""

    month = models.DateField(_("tháng"))
    organiser_key = models.IntegerField()
    field_key = models.IntegerField()
    type_key = models.IntegerField()
    form_key = models.IntegerField()
    meetings = models.PositiveIntegerField(default=0)
    published = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)  # published with a late reason
    cancelled = models.PositiveIntegerField(default=0)
    postponed = models.PositiveIntegerField(default=0)
    documents = models.PositiveIntegerField(default=0)  # not deleted

    class Meta:
        verbose_name = _("số liệu cuộc họp theo tháng")
        verbose_name_plural = _("số liệu cuộc họp theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "organiser_key", "field_key", "type_key", "form_key"],
                name="meeting_month_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.organiser_key}"
