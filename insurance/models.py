"""Voluntary social insurance (BHXH tự nguyện) and health insurance (BHYT) support for team
members: who is enrolled, the quarterly funding list of a commune, and support for members
without insurance who fall sick, are injured or die on duty.

A funding list is one commune and one quarter. Computing it writes `FundingLine` rows, one per
member, scheme and month, holding the amounts and the person as they were, with a
`rules.RuleSnapshot` (rule, citation, trace, parameter values): the list, its PDF and its
spreadsheet read only these rows, and once the list is approved they are never touched again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date
from core.periods import Month, Quarter
from core.workflow import WorkflowAction
from rules.insurance import Group, Scheme
from rules.models import RuleSnapshot
from teams.models import AdministrativeUnit, Membership, Person


class PaymentMode(models.IntegerChoices):
    MONTHLY = 1, _("Hằng tháng")
    QUARTERLY = 3, _("3 tháng một lần")
    HALF_YEARLY = 6, _("6 tháng một lần")
    YEARLY = 12, _("12 tháng một lần")


GROUP_CHOICES = [(g.value, g.label[:1].upper() + g.label[1:]) for g in Group]
HOUSEHOLD_GROUP_CHOICES = [c for c in GROUP_CHOICES if c[0] in (Group.POOR, Group.NEAR_POOR)]


class VsiEnrolment(models.Model):
    """A member's voluntary social insurance: the income they chose and how they pay."""

    person = models.OneToOneField(
        Person, verbose_name=_("thành viên"), on_delete=models.CASCADE, related_name="vsi"
    )
    book_number = models.CharField(_("số sổ BHXH"), max_length=20, blank=True)
    income = models.BigIntegerField(
        _("mức thu nhập làm căn cứ đóng (đồng/tháng)"),
        help_text=_("Từ chuẩn nghèo khu vực nông thôn đến 20 lần mức lương cơ sở."),
    )
    payment_mode = models.PositiveSmallIntegerField(
        _("phương thức đóng"), choices=PaymentMode.choices, default=PaymentMode.MONTHLY
    )
    start_date = models.DateField(_("ngày bắt đầu tham gia"))
    end_date = models.DateField(_("ngày dừng tham gia"), null=True, blank=True)
    island = models.BooleanField(
        _("sinh sống tại xã đảo, đặc khu"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Để trống: theo xã (đặc khu, hoặc xã đảo do quản trị viên đánh dấu). Nhóm được "
            "Nhà nước hỗ trợ 50 % từ 01/07/2025 (Nghị định 159/2025/NĐ-CP)."
        ),
    )
    months_supported_before = models.PositiveSmallIntegerField(
        _("số tháng đã được Nhà nước hỗ trợ trước đây"),
        default=0,
        help_text=_(
            "Số tháng đã được hỗ trợ trước khi quản lý trên hệ thống; Nhà nước hỗ trợ tối đa "
            "120 tháng."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đăng ký BHXH tự nguyện")
        verbose_name_plural = _("đăng ký BHXH tự nguyện")

    def __str__(self) -> str:
        return f"{self.person} · BHXH tự nguyện"


class HiGroup(models.TextChoices):
    ANTT = "antt", _("Thành viên Tổ bảo vệ ANTT (Nhà nước hỗ trợ từ 15/8/2025)")
    HOUSEHOLD = "household", _("Tham gia theo hộ gia đình")


HOUSEHOLD_POSITION_CHOICES = [
    (1, _("Người thứ nhất")),
    (2, _("Người thứ hai")),
    (3, _("Người thứ ba")),
    (4, _("Người thứ tư")),
    (5, _("Người thứ năm trở đi")),
]


class HiEnrolment(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("thành viên"), on_delete=models.CASCADE, related_name="hi"
    )
    card_number = models.CharField(_("số thẻ BHYT"), max_length=15)
    group = models.CharField(
        _("nhóm tham gia"), max_length=12, choices=HiGroup.choices, default=HiGroup.ANTT
    )
    household_position = models.PositiveSmallIntegerField(
        _("thứ tự trong hộ gia đình tham gia BHYT"),
        null=True,
        blank=True,
        choices=HOUSEHOLD_POSITION_CHOICES,
        help_text=_(
            "Khi cả hộ cùng tham gia BHYT: người thứ nhất đóng 100 %, người thứ hai, ba, tư "
            "70 %, 60 %, 50 %, từ người thứ năm 40 % mức đóng của người thứ nhất (Nghị định "
            "146/2018/NĐ-CP, Điều 7). Để trống: không tham gia theo hộ (đóng đủ mức)."
        ),
    )
    start_date = models.DateField(_("thẻ có giá trị từ"))
    end_date = models.DateField(_("dừng tham gia từ"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đăng ký BHYT")
        verbose_name_plural = _("đăng ký BHYT")

    def __str__(self) -> str:
        return f"{self.person} · BHYT {self.card_number}"


class HouseholdCertificate(models.Model):
    """A dated poor / near-poor household certificate: a month's support group is the highest of
    the certificates in force on its first day and the person's ethnicity (a person without any
    certificate is taken at the household status on the roster)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="certificates")
    group = models.CharField(_("nhóm"), max_length=16, choices=HOUSEHOLD_GROUP_CHOICES)
    valid_from = models.DateField(_("có giá trị từ"))
    valid_to = models.DateField(_("có giá trị đến"), null=True, blank=True)
    reference = models.CharField(_("số giấy chứng nhận"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("giấy chứng nhận hộ nghèo, cận nghèo")
        verbose_name_plural = _("giấy chứng nhận hộ nghèo, cận nghèo")
        ordering = ["person", "valid_from"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_group_display()} từ {format_date(self.valid_from)}"

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết giá trị trước ngày có giá trị.")})


class ListState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Chờ BHXH kiểm tra")
    RETURNED = "returned", _("Bị trả lại")
    VERIFIED = "verified", _("BHXH đã kiểm tra")
    COMMUNE_SIGNED = "commune_signed", _("UBND xã đã ký")
    SIGNED = "signed", _("Chờ tài chính duyệt")
    APPROVED = "approved", _("Đã duyệt")
    ADVANCED = "advanced", _("Đã tạm cấp kinh phí")
    SETTLED = "settled", _("Đã quyết toán")


LIST_OPEN_STATES = (ListState.DRAFT, ListState.RETURNED)
LIST_APPROVED_STATES = (ListState.APPROVED, ListState.ADVANCED, ListState.SETTLED)


class FundingList(models.Model):
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="funding_lists",
    )
    quarter = models.DateField(_("quý"), help_text=_("Ngày đầu quý."))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=ListState.choices, default=ListState.DRAFT
    )
    computed_at = models.DateTimeField(_("lập lúc"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    # Provisional funds advanced at the start of the quarter.
    advance_number = models.CharField(_("số chứng từ tạm cấp"), max_length=60, blank=True)
    advance_date = models.DateField(_("ngày tạm cấp"), null=True, blank=True)
    advance_amount = models.BigIntegerField(_("số tiền tạm cấp (đồng)"), null=True, blank=True)
    # Settlement after the quarter: what was actually due, against the advance.
    actual_amount = models.BigIntegerField(_("kinh phí thực tế (đồng)"), null=True, blank=True)
    settled_on = models.DateField(_("ngày quyết toán"), null=True, blank=True)
    carried_in = models.BigIntegerField(_("chênh lệch các quý trước chuyển sang (đồng)"), default=0)
    carried_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_from",
        verbose_name=_("chênh lệch chuyển sang danh sách"),
    )

    class Meta:
        verbose_name = _("danh sách đề nghị hỗ trợ BHXH tự nguyện, BHYT")
        verbose_name_plural = _("danh sách đề nghị hỗ trợ BHXH tự nguyện, BHYT")
        ordering = ["commune", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "quarter"], name="funding_once_per_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__day=1, quarter__month__in=[1, 4, 7, 10]),
                name="funding_quarter_first_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.quarter_label}"

    @property
    def period(self) -> Quarter:
        return Quarter.of(self.quarter)

    @property
    def quarter_label(self) -> str:
        return self.period.in_sentence

    @property
    def quarter_number(self) -> int:
        return self.period.q

    @property
    def months(self) -> list[datetime.date]:
        return [month.first_day for month in self.period.months]

    @property
    def end(self) -> datetime.date:
        return self.period.last_day

    @property
    def is_open(self) -> bool:
        return self.state in LIST_OPEN_STATES

    @property
    def is_approved(self) -> bool:
        return self.state in LIST_APPROVED_STATES

    @property
    def difference(self) -> int | None:
        """Actual minus advance once settled: positive = still owed, negative = over-advanced."""
        if self.actual_amount is None or self.advance_amount is None:
            return None
        return self.actual_amount - self.advance_amount


class FundingAction(WorkflowAction):
    states = ListState
    funding_list = models.ForeignKey(FundingList, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý danh sách BHXH, BHYT")
        verbose_name_plural = _("bước xử lý danh sách BHXH, BHYT")

    def __str__(self) -> str:
        return f"{self.funding_list}: {self.from_label} → {self.to_label}"


SCHEME_CHOICES = [(s.value, s.label) for s in Scheme]


class FundingLine(models.Model):
    """One member, one scheme, one month of the quarter."""

    funding_list = models.ForeignKey(FundingList, on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField(_("loại bảo hiểm"), max_length=3, choices=SCHEME_CHOICES)
    month = models.DateField(_("tháng"))
    income = models.BigIntegerField(_("mức thu nhập (đồng)"), null=True, blank=True)
    groups = models.JSONField(_("nhóm đối tượng"), default=list, blank=True)
    support_month = models.PositiveSmallIntegerField(_("tháng hỗ trợ thứ"), null=True, blank=True)
    contribution = models.BigIntegerField(_("mức đóng (đồng)"), default=0)
    state_support = models.BigIntegerField(_("Nhà nước hỗ trợ (đồng)"), default=0)
    province_support = models.BigIntegerField(_("tỉnh hỗ trợ (đồng)"), default=0)
    member_pays = models.BigIntegerField(_("người tham gia đóng (đồng)"), default=0)
    snapshot = models.ForeignKey(
        RuleSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(_("lỗi áp dụng quy định"), blank=True)
    # The person as they were when the list was computed.
    person_name = models.CharField(max_length=120)
    cccd = models.CharField(max_length=12)
    team_name = models.CharField(max_length=160)
    reference = models.CharField(max_length=20, blank=True)  # VSI book / HI card number
    payment_mode = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("dòng danh sách BHXH, BHYT")
        verbose_name_plural = _("dòng danh sách BHXH, BHYT")
        ordering = ["funding_list", "team_name", "person_name", "scheme", "month"]
        indexes = [models.Index(fields=["person", "scheme", "month"])]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.get_scheme_display()} · {Month.of(self.month).label}"

    @property
    def budget(self) -> int:
        return self.state_support + self.province_support


class IncidentKind(models.TextChoices):
    SICKNESS = "sickness", _("Ốm đau")
    INJURY = "injury", _("Bị thương")
    ACCIDENT = "accident", _("Bị tai nạn")
    DEATH = "death", _("Chết")


class IncidentState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


INCIDENT_OPEN_STATES = (IncidentState.DRAFT, IncidentState.RETURNED)


class Incident(models.Model):
    """A member without social or health insurance who fell sick, was injured or died on duty
    (Law 30/2023/QH15 Art. 24; Decree 40/2024/NĐ-CP Art. 5)."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("trường hợp"), max_length=10, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("ngày xảy ra"))
    description = models.TextField(_("diễn biến, nhiệm vụ đang thực hiện"))
    medical_costs = models.BigIntegerField(
        _("chi phí khám, chữa bệnh thực tế (đồng)"),
        default=0,
        help_text=_("Theo hóa đơn, chứng từ; được thanh toán theo thực tế."),
    )
    inpatient_days = models.PositiveSmallIntegerField(_("số ngày điều trị nội trú"), default=0)
    capacity_loss = models.PositiveSmallIntegerField(
        _("tỷ lệ suy giảm khả năng lao động (%)"),
        default=0,
        help_text=_("Theo kết luận của Hội đồng giám định y khoa; 0 nếu không giám định."),
    )
    rule_amount = models.BigIntegerField(_("tiền ăn, trợ cấp theo quy định (đồng)"), default=0)
    snapshot = models.ForeignKey(
        RuleSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(_("lỗi áp dụng quy định"), blank=True)
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=IncidentState.choices,
        default=IncidentState.DRAFT,
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hỗ trợ thành viên chưa tham gia BHXH, BHYT")
        verbose_name_plural = _("hỗ trợ thành viên chưa tham gia BHXH, BHYT")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.membership.person} · {self.get_kind_display()} · {format_date(self.occurred_on)}"

    @property
    def total(self) -> int:
        return self.medical_costs + self.rule_amount

    @property
    def is_open(self) -> bool:
        return self.state in INCIDENT_OPEN_STATES

    @property
    def died(self) -> bool:
        return self.kind == IncidentKind.DEATH


class IncidentAction(WorkflowAction):
    states = IncidentState
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý hỗ trợ")
        verbose_name_plural = _("bước xử lý hỗ trợ")


DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


def validate_document_size(file) -> None:
    if file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("Tệp %(name)s lớn hơn 5 MB; hãy chụp hoặc quét lại với độ phân giải thấp hơn.")
            % {"name": file.name}
        )


class IncidentDocument(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("tên giấy tờ"), max_length=160)
    file = models.FileField(
        _("tệp"),
        upload_to="insurance/incidents/%Y/%m/",
        validators=[
            FileExtensionValidator(
                DOCUMENT_EXTENSIONS,
                message=_("Chỉ nhận tệp PDF, JPG hoặc PNG."),
            ),
            validate_document_size,
        ],
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("giấy tờ kèm theo")
        verbose_name_plural = _("giấy tờ kèm theo")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title
