"""The hand-over of an old commune's areas, teams and members to the new commune that took
them over on 01/07/2025 (Resolution 190/2025/QH15 Art. 10; domain.md §6).

A `CarryOver` is one new commune's hand-over: the plan it was confirmed with (which old areas
became which new ones, which teams were kept or merged), what it created (so that a correction
can replace exactly that), and its steps (`CarryOverStep`: confirmed, reopened, by whom). The
roster rows themselves live in `teams`: new areas and teams record the old ones they came from
(`came_from`), and each old membership ends on 30/06/2025 with the ending "chuyển do sắp xếp
đơn vị hành chính", linked (`transferred_to`) to the new one that starts on 01/07/2025.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.models import AdministrativeUnit


class CarryOverState(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã chuyển giao")
    REOPENED = "reopened", _("Đã mở lại để điều chỉnh")


class CarryOver(models.Model):
    commune = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("xã, phường mới"),
        on_delete=models.PROTECT,
        related_name="carry_over",
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=CarryOverState.choices,
        default=CarryOverState.CONFIRMED,
    )
    plan = models.JSONField(_("phương án"), default=dict)
    # Ids of what the confirmed plan created and ended, for a correction to replace exactly that.
    created = models.JSONField(default=dict, editable=False)
    summary = models.JSONField(_("kết quả"), default=dict)
    by_province = models.BooleanField(
        _("chuyển giao theo phương án mặc định của tỉnh"), default=False
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("chuyển giao sau sắp xếp")
        verbose_name_plural = _("chuyển giao sau sắp xếp")

    def __str__(self) -> str:
        return f"{self.commune} · {self.get_state_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == CarryOverState.CONFIRMED


class CarryOverStep(models.Model):
    """An action row: a confirmation, a reopening (with its reason), a province run."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Xác nhận chuyển giao")
        PROVINCE = "province", _("Chuyển giao theo phương án mặc định (cấp tỉnh)")
        REOPEN = "reopen", _("Mở lại để điều chỉnh")

    carry_over = models.ForeignKey(CarryOver, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("bước"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("bước chuyển giao")
        verbose_name_plural = _("bước chuyển giao")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.carry_over} · {self.get_kind_display()}"


class ProvinceJob(models.Model):
    """A province-wide carry-over run in the task worker, with progress for its page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    province = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    dry_run = models.BooleanField(_("chỉ xem trước"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt chuyển giao cấp tỉnh")
        verbose_name_plural = _("lượt chuyển giao cấp tỉnh")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.province} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
