"""Monthly allowance runs: snapshots of what each member is paid, and the duty log behind them.

A run is one commune and one month. Computing it writes `AllowanceLine` rows that record the
amount, the person as they were, and a `rules.models.RuleSnapshot`: the rule module, citation, trace and every
parameter value used. Payment lists read only these rows, so a later rule change never silently
rewrites a past month: once a run is approved its lines are never touched again, and a later
change shows up as an arrears (truy lĩnh / điều chỉnh) line in the next open run.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date
from core.history import HistoricalRecords
from core.periods import Month
from core.workflow import WorkflowAction
from rules.base import DutyKind
from rules.models import RuleSnapshot
from teams.models import AdministrativeUnit, Membership


class RunState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")
    PAID = "paid", _("Đã chi trả")


OPEN_STATES = (RunState.DRAFT, RunState.RETURNED)
SETTLED_STATES = (RunState.APPROVED, RunState.PAID)


class AllowanceRun(models.Model):
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="allowance_runs",
    )
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=RunState.choices, default=RunState.DRAFT
    )
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    paid_on = models.DateField(_("ngày chi trả"), null=True, blank=True)
    payment_reference = models.CharField(_("số chứng từ chi"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("kỳ chi trả hỗ trợ")
        verbose_name_plural = _("kỳ chi trả hỗ trợ")
        ordering = ["commune", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="run_once_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="run_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {Month.of(self.month).label}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_settled(self) -> bool:
        return self.state in SETTLED_STATES


class RunAction(WorkflowAction):
    states = RunState
    run = models.ForeignKey(AllowanceRun, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý kỳ chi trả")
        verbose_name_plural = _("bước xử lý kỳ chi trả")

    def __str__(self) -> str:
        return f"{self.run}: {self.from_label} → {self.to_label}"


class LineKind(models.TextChoices):
    MONTHLY = "monthly", _("Hỗ trợ hằng tháng")
    DUTY = "duty", _("Bồi dưỡng làm nhiệm vụ")
    ARREARS = "arrears", _("Truy lĩnh, điều chỉnh")


class AllowanceLine(models.Model):
    run = models.ForeignKey(AllowanceRun, on_delete=models.CASCADE, related_name="lines")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("khoản"), max_length=8, choices=LineKind.choices)
    reference_month = models.DateField(
        _("tháng được tính"),
        help_text=_("Tháng mà khoản này chi cho (khác tháng chi khi truy lĩnh)."),
    )
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    active_days = models.PositiveSmallIntegerField(null=True, blank=True)
    days_in_month = models.PositiveSmallIntegerField(null=True, blank=True)
    snapshot = models.ForeignKey(
        RuleSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(_("lỗi áp dụng quy định"), blank=True)
    # The person and team as they were when the line was computed (payment lists read these).
    person_name = models.CharField(max_length=120)
    cccd = models.CharField(max_length=12)
    role = models.CharField(max_length=12)
    team_name = models.CharField(max_length=160)
    # Arrears only: the amounts compared and the parameter values that changed.
    cause = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dòng chi trả")
        verbose_name_plural = _("dòng chi trả")
        ordering = ["run", "team_name", "role", "person_name", "kind", "reference_month"]
        indexes = [
            models.Index(fields=["membership", "reference_month"]),
            # The arrears lines a recomputation could not compute: each run's staleness check
            # looks for them among the latest approved runs of every commune (a seq scan of
            # all lines nationally without it); almost no line is one, so the index is tiny.
            models.Index(
                fields=["run"],
                condition=models.Q(kind=LineKind.ARREARS) & ~models.Q(error=""),
                name="allowanceline_arrears_error",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.get_kind_display()} · {self.amount}"


# Duty kinds as people read them on pages: the words of rules.base.DutyKind.label (which the
# rules keep in Vietnamese for their traces), marked for translation.
DUTY_LABELS = {
    DutyKind.DAY: _("Ngày làm nhiệm vụ"),
    DutyKind.NIGHT: _("Đêm làm nhiệm vụ (22 giờ đến 06 giờ)"),
    DutyKind.SHIFT: _("Ca trực"),
    DutyKind.HOLIDAY: _("Ngày nghỉ, ngày lễ, tết làm nhiệm vụ"),
    DutyKind.TRAINING: _("Ngày tập trung huấn luyện, bồi dưỡng"),
    DutyKind.HARDSHIP: _("Ngày làm nhiệm vụ ở địa bàn đặc biệt khó khăn, biên giới, hải đảo"),
}
DUTY_CHOICES = [(k.value, DUTY_LABELS[k]) for k in DutyKind]


class DutyEntry(models.Model):
    """A day (night, shift) on assigned duty that earns a stipend (Law 30/2023 Art. 23(2))."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("thành viên"),
        on_delete=models.PROTECT,
        related_name="duty_entries",
    )
    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại nhiệm vụ"), max_length=10, choices=DUTY_CHOICES)
    units = models.PositiveSmallIntegerField(
        _("số ngày, đêm hoặc ca"),
        default=1,
        help_text=_("Thường là 1; ghi nhiều hơn khi một ngày có nhiều ca được trả theo ca."),
    )
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Entries may be added or removed after a month was approved (the difference is paid or
    # recovered in a later run); the history keeps who did it and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngày làm nhiệm vụ")
        verbose_name_plural = _("nhật ký làm nhiệm vụ")
        ordering = ["day", "membership"]
        indexes = [models.Index(fields=["membership", "day"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(units__gte=1), name="duty_units_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {format_date(self.day)} · {self.get_kind_display()}"

    @property
    def month(self) -> datetime.date:
        return self.day.replace(day=1)
