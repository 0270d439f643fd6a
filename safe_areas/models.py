"""The yearly "An toàn về an ninh, trật tự" recognition (Circular 124/2021/TT-BCA, amended by
Circular 48/2025/TT-BCA) of residential areas, agencies, enterprises, schools and communes, and
the self-management models (mô hình tự quản) of seed 003.

A residential area's year (`AreaYear`) runs registration → events → self-assessment → the
commune's review → the commune People's Committee's decision, each step an `AreaYearAction`
row; a decided year is read-only. The criteria are data in rules/safe_areas.py; rows here keep
their codes (`criterion`), so a criterion added later never rewrites a past year.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.periods import EvaluationYear
from core.workflow import WorkflowAction
from teams.models import AdministrativeUnit, ResidentialArea


def _start(key: str) -> tuple[int, int]:
    day, month = cast(tuple[int, int], settings.SAFE_AREAS[key])
    return day, month


def area_year_window(year: int) -> EvaluationYear:
    """The residential areas' evaluation window (setting SAFE_AREAS["area_period_start"])."""
    return EvaluationYear(year, *_start("area_period_start"))


def area_year_of(day) -> int:
    """The residential areas' evaluation year a day belongs to."""
    start_day, start_month = _start("area_period_start")
    return EvaluationYear.of(day, start_day=start_day, start_month=start_month).year


def unit_year_window(year: int) -> EvaluationYear:
    """The window of communes, agencies, enterprises and schools (16/11 – 15/11 by default)."""
    return EvaluationYear(year, *_start("unit_period_start"))


class YearState(models.TextChoices):
    DRAFT = "draft", _("Chưa đăng ký")
    REGISTERED = "registered", _("Đã đăng ký")
    ASSESSED = "assessed", _("Đã tự đánh giá, gửi xã")
    RETURNED = "returned", _("Trả lại để đánh giá lại")
    REVIEWED = "reviewed", _("Đã thẩm định, trình quyết định")
    RECOGNISED = "recognised", _("Được công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không công nhận")


DECIDED = (YearState.RECOGNISED, YearState.NOT_RECOGNISED)


class Decision(models.Model):
    """The decision that closes a year: number, date, who signed."""

    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký"), max_length=120, blank=True)

    class Meta:
        abstract = True


class AreaYear(Decision):
    area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("khu dân cư"),
        on_delete=models.PROTECT,
        related_name="safety_years",
    )
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=YearState.choices, default=YearState.DRAFT
    )
    resolution_number = models.CharField(_("số nghị quyết của chi bộ"), max_length=60)
    resolution_date = models.DateField(_("ngày nghị quyết"))
    registered_on = models.DateField(_("ngày đăng ký"))
    households_registered = models.PositiveIntegerField(_("số hộ đăng ký"))
    households_total = models.PositiveIntegerField(_("số hộ của khu dân cư khi đăng ký"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("năm đánh giá khu dân cư")
        verbose_name_plural = _("năm đánh giá khu dân cư")
        ordering = ["-year", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="safe_area_one_per_year"),
        ]
        indexes = [models.Index(fields=["commune", "year"])]

    def __str__(self) -> str:
        return f"{self.area} — {self.year}"

    @property
    def window(self) -> EvaluationYear:
        return area_year_window(self.year)

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED

    @property
    def households_missing(self) -> int:
        return max(0, self.households_total - self.households_registered)


class AreaYearAction(WorkflowAction):
    states = YearState
    area_year = models.ForeignKey(AreaYear, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý khu dân cư")
        verbose_name_plural = _("bước xử lý khu dân cư")


class AreaEvent(models.Model):
    """Something that happened in the period and breaks a criterion (Art. 4 cl. 3), entered by
    the commune police: it fails that criterion for the year."""

    area_year = models.ForeignKey(AreaYear, on_delete=models.CASCADE, related_name="events")
    criterion = models.CharField(_("tiêu chí"), max_length=24)
    occurred_on = models.DateField(_("ngày xảy ra"))
    description = models.TextField(_("sự việc"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vụ việc ảnh hưởng tiêu chí")
        verbose_name_plural = _("vụ việc ảnh hưởng tiêu chí")
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.criterion} {self.occurred_on:%d/%m/%Y}"


class AssessmentItem(models.Model):
    """One criterion of the self-assessment: met or not, with the evidence."""

    area_year = models.ForeignKey(AreaYear, on_delete=models.CASCADE, related_name="answers")
    criterion = models.CharField(_("tiêu chí"), max_length=24)
    met = models.BooleanField(_("đạt"))
    evidence = models.TextField(_("minh chứng, ghi chú"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_year", "criterion"], name="safe_area_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'đạt' if self.met else 'chưa đạt'}"


# --- Agencies, enterprises, schools -----------------------------------------------------------


class EstablishmentKind(models.TextChoices):
    AGENCY = "agency", _("Cơ quan")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    SCHOOL = "school", _("Cơ sở giáo dục")


class Establishment(models.Model):
    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    name = models.CharField(_("tên"), max_length=160)
    kind = models.CharField(_("loại"), max_length=12, choices=EstablishmentKind.choices)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    active = models.BooleanField(_("còn thuộc phạm vi quản lý"), default=True)

    class Meta:
        verbose_name = _("cơ quan, doanh nghiệp, cơ sở giáo dục")
        verbose_name_plural = _("cơ quan, doanh nghiệp, cơ sở giáo dục")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="safe_establishment_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EstablishmentYear(Decision):
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("năm"))
    registered_on = models.DateField(_("ngày đăng ký"))
    recognised = models.BooleanField(_("được công nhận"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "year"], name="safe_establishment_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id} — {self.year}"

    @property
    def window(self) -> EvaluationYear:
        return unit_year_window(self.year)


# --- Self-management models ---------------------------------------------------------------------


class ModelField(models.TextChoices):
    SECURITY = "security", _("An ninh, trật tự")
    FIRE = "fire", _("Phòng cháy, chữa cháy")
    TRAFFIC = "traffic", _("Trật tự, an toàn giao thông")
    ENVIRONMENT = "environment", _("Vệ sinh môi trường")
    OTHER = "other", _("Khác")


class ModelStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    ENDED = "ended", _("Đã dừng")


class SelfManagementModel(models.Model):
    """A mô hình tự quản of a residential area, with the households that signed its commitment
    and the commune appraisal team's recognition."""

    area = models.ForeignKey(
        ResidentialArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("khu dân cư")
    )
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên mô hình"), max_length=200)
    field = models.CharField(_("lĩnh vực"), max_length=12, choices=ModelField.choices)
    started_on = models.DateField(_("bắt đầu"))
    ended_on = models.DateField(_("kết thúc"), null=True, blank=True)
    households_signed = models.PositiveIntegerField(_("số hộ ký cam kết"))
    status = models.CharField(
        _("tình trạng"), max_length=8, choices=ModelStatus.choices, default=ModelStatus.ACTIVE
    )
    recognition_number = models.CharField(
        _("số quyết định công nhận (tổ thẩm định của xã)"), max_length=60, blank=True
    )
    recognition_date = models.DateField(_("ngày công nhận"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("mô hình tự quản")
        verbose_name_plural = _("mô hình tự quản")
        ordering = ["area__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def recognised(self) -> bool:
        return bool(self.recognition_number and self.recognition_date)


# --- The commune's own year ---------------------------------------------------------------------


class CommuneYear(Decision):
    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=YearState.choices, default=YearState.DRAFT
    )
    party_resolution_number = models.CharField(_("số nghị quyết của Đảng ủy"), max_length=60)
    party_resolution_date = models.DateField(_("ngày nghị quyết"))
    plan_number = models.CharField(_("số kế hoạch của UBND xã"), max_length=60)
    plan_date = models.DateField(_("ngày kế hoạch"))
    registered_on = models.DateField(_("ngày đăng ký"))
    disciplined_officers = models.PositiveSmallIntegerField(
        _("số cán bộ, chiến sĩ Công an xã bị kỷ luật trong kỳ"), null=True, blank=True
    )
    criteria_met = models.BooleanField(
        _("đạt khoản 2, 3, 4 Điều 4 trên địa bàn"), null=True, blank=True
    )
    evidence = models.TextField(_("minh chứng, ghi chú"), blank=True)
    deciding_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị quyết định công nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("năm đánh giá của xã")
        verbose_name_plural = _("năm đánh giá của xã")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="safe_commune_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} — {self.year}"

    @property
    def window(self) -> EvaluationYear:
        return unit_year_window(self.year)

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED


class CommuneYearAction(WorkflowAction):
    states = YearState
    commune_year = models.ForeignKey(CommuneYear, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý của xã")
        verbose_name_plural = _("bước xử lý của xã")
