"""Reports to the provincial police, the inputs only reports need (training, equipment held),
entry-lock exceptions and background document jobs.

A report belongs to one unit (commune, district or province) and one period ("2024-08" for a
monthly report, "2025" for an annual one). A commune's numbers are computed from the data for
the period's window; what only people know (reports passed on, patrols, …) is typed on the
form. On submission the whole content is frozen into `contents`, so a later change in the data
never rewrites a report that was sent; a district's or province's report adds up the frozen
reports below it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date
from core.history import HistoricalRecords
from core.jobs import BackgroundJob
from core.workflow import WorkflowAction
from teams.models import AdministrativeUnit, Membership, Team, Versioned

from .periods import Period, PeriodKind


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


KIND_CHOICES = [(k.value, k.label) for k in PeriodKind]


class Report(Versioned):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("loại báo cáo"), max_length=8, choices=KIND_CHOICES)
    period = models.CharField(_("kỳ báo cáo"), max_length=7, help_text=_("YYYY-MM hoặc YYYY."))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    # Numbers only people know, typed on the form (the rest is computed).
    reports_passed_on = models.PositiveIntegerField(_("số tin báo, tố giác đã chuyển"), default=0)
    patrols = models.PositiveIntegerField(_("số lượt tuần tra, canh gác"), default=0)
    violations_found = models.PositiveIntegerField(_("số vụ việc vi phạm phát hiện"), default=0)
    weapons_recovered = models.PositiveIntegerField(
        _("số vũ khí, vật liệu nổ, công cụ hỗ trợ thu hồi"), default=0
    )
    fire_rescue = models.PositiveIntegerField(
        _("số lần tham gia chữa cháy, cứu nạn, cứu hộ"), default=0
    )
    narrative = models.TextField(_("đánh giá, kiến nghị"), blank=True)
    contents = models.JSONField(_("nội dung đã chốt"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late = models.BooleanField(_("gửi muộn"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Who typed which number when (the frozen content is not repeated in the history).
    history = HistoricalRecords(excluded_fields=["contents", "updated_at"])

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["unit__path", "kind", "period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "period"], name="report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} · {self.unit}"

    @property
    def is_sent(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.ACCEPTED)


MANUAL_FIELDS = [
    "reports_passed_on",
    "patrols",
    "violations_found",
    "weapons_recovered",
    "fire_rescue",
]


class ReportAction(WorkflowAction):
    states = ReportState
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý báo cáo")
        verbose_name_plural = _("bước xử lý báo cáo")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_label} → {self.to_label}"


class LockException(models.Model):
    """A provincial user reopens entry for one unit and period, for a stated reason, until a
    day (DHIS2's "lock exception")."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="lock_exceptions",
    )
    kind = models.CharField(_("loại báo cáo"), max_length=8, choices=KIND_CHOICES)
    period = models.CharField(_("kỳ báo cáo"), max_length=7)
    reason = models.CharField(_("lý do"), max_length=300)
    until = models.DateField(_("mở đến hết ngày"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mở khóa nhập liệu")
        verbose_name_plural = _("mở khóa nhập liệu")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {format_date(self.until)}"


class TrainingCourse(models.Model):
    """A training course (huấn luyện, bồi dưỡng) for members (Circular 14/2024/TT-BCA Art. 6)."""

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="training_courses",
    )
    name = models.CharField(_("tên lớp"), max_length=200)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp huấn luyện, bồi dưỡng")
        verbose_name_plural = _("lớp huấn luyện, bồi dưỡng")
        ordering = ["commune", "-end_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="course_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingResult(models.Model):
    class Outcome(models.TextChoices):
        PASSED = "passed", _("Đạt")
        FAILED = "failed", _("Không đạt")
        ABSENT = "absent", _("Vắng")

    course = models.ForeignKey(TrainingCourse, on_delete=models.CASCADE, related_name="results")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices)
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("kết quả huấn luyện")
        verbose_name_plural = _("kết quả huấn luyện")
        constraints = [
            models.UniqueConstraint(fields=["course", "membership"], name="result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.membership} · {self.get_outcome_display()}"


class EquipmentHolding(models.Model):
    """How many of an item a team holds (for the annual report's needs)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="equipment")
    item = models.CharField(_("trang bị"), max_length=16)
    quantity = models.PositiveIntegerField(_("số lượng hiện có"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trang bị hiện có")
        verbose_name_plural = _("trang bị hiện có")
        constraints = [
            models.UniqueConstraint(fields=["team", "item"], name="holding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.item} · {self.quantity}"


class DocumentJob(BackgroundJob):
    """A document above one commune (consolidated report, roster annex), made in the background
    (core.jobs), with its progress and result."""

    key_fields = ("unit", "kind", "period", "document")

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=KIND_CHOICES)
    period = models.CharField(max_length=7)
    document = models.CharField(max_length=16)  # "consolidated" | "annex"

    class Meta(BackgroundJob.Meta):
        verbose_name = _("tạo tài liệu nền")
        verbose_name_plural = _("tạo tài liệu nền")

    def __str__(self) -> str:
        return f"{self.document} {self.period} · {self.unit} · {self.status}"

    @property
    def period_display(self) -> str:
        """ "Tháng 08/2024", "Năm 2026" for the page: `period` is the key ("2024-08")."""
        return Period.parse(self.period).display
