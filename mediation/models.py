"""Grassroots mediation (Law 35/2013/QH13; seed 004): mediation teams of the residential areas,
their mediators (the same `teams.Person` as the ANTT rosters), leader elections, the yearly
consolidation, the case book, the quarterly remuneration lists, accident support, the district
plan's targets and budget, and the yearly report.

Rules and figures live in `rules.mediation`; reads in `selectors`, writes in `services`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.jobs import BackgroundJob
from core.periods import Quarter
from core.workflow import WorkflowAction
from teams.models import AdministrativeUnit, Person, ResidentialArea


class MediationTeam(models.Model):
    """A tổ hòa giải, established by decision of the commune chairman (Law Art. 12)."""

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="mediation_teams",
    )
    area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("khu dân cư"),
        on_delete=models.PROTECT,
        related_name="mediation_teams",
    )
    name = models.CharField(_("tên Tổ hòa giải"), max_length=160)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định thành lập"))
    minority_area = models.BooleanField(
        _("khu dân cư có đồng bào dân tộc thiểu số"),
        default=False,
        help_text=_("Khi có: Tổ cần có hòa giải viên là người dân tộc thiểu số (Luật Điều 12)."),
    )
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Tổ hòa giải")
        verbose_name_plural = _("Tổ hòa giải")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="mediation_team_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    """A person recognised as mediator of a team (Law Art. 7–8). The same person may serve on
    an ANTT team: the person page and the mediator page both show it."""

    team = models.ForeignKey(MediationTeam, on_delete=models.CASCADE, related_name="mediators")
    person = models.ForeignKey(
        Person, verbose_name=_("người"), on_delete=models.PROTECT, related_name="mediator_roles"
    )
    list_received_on = models.DateField(
        _("ngày nhận danh sách của Ban công tác Mặt trận"), null=True, blank=True
    )
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định công nhận"), null=True, blank=True)
    ended_on = models.DateField(_("ngày thôi làm hòa giải viên"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hòa giải viên")
        verbose_name_plural = _("hòa giải viên")
        ordering = ["team", "person__search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(ended_on__isnull=True),
                name="mediator_once_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} · {self.team.name}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class LeaderElection(models.Model):
    """The mediators elect their leader: more than 50 % of them (Law Art. 12 cl. 2)."""

    team = models.ForeignKey(MediationTeam, on_delete=models.CASCADE, related_name="elections")
    mediator = models.ForeignKey(
        Mediator, verbose_name=_("tổ trưởng được bầu"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("ngày bầu"))
    mediators_count = models.PositiveSmallIntegerField(_("số hòa giải viên của Tổ"))
    votes = models.PositiveSmallIntegerField(_("số phiếu bầu"))
    is_party_secretary = models.BooleanField(_("là Bí thư chi bộ ấp, khu"), default=False)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định công nhận"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bầu tổ trưởng Tổ hòa giải")
        verbose_name_plural = _("bầu tổ trưởng Tổ hòa giải")
        ordering = ["team", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.team} · {self.held_on:%d/%m/%Y}"


class Consolidation(models.Model):
    """The yearly review (củng cố, kiện toàn, Law Art. 12 cl. 3). A team is consolidated in a
    year when its review of that year has its decision."""

    team = models.ForeignKey(MediationTeam, on_delete=models.CASCADE, related_name="consolidations")
    year = models.PositiveSmallIntegerField(_("năm"))
    reviewed_on = models.DateField(_("ngày rà soát"))
    proposed_changes = models.TextField(_("đề xuất thay đổi"), blank=True)
    decision_number = models.CharField(_("số quyết định kiện toàn"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định kiện toàn"), null=True, blank=True)

    class Meta:
        verbose_name = _("củng cố, kiện toàn Tổ hòa giải")
        verbose_name_plural = _("củng cố, kiện toàn Tổ hòa giải")
        ordering = ["team", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["team", "year"], name="consolidation_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.year}"

    @property
    def decided(self) -> bool:
        return self.decision_date is not None


class Origin(models.TextChoices):
    REQUEST = "request", _("Theo yêu cầu của bên, các bên")
    FOUND = "found", _("Hòa giải viên chứng kiến, biết vụ việc")
    ASSIGNED = "assigned", _("Được phân công, đề nghị")


class CaseType(models.TextChoices):
    LAND = "land", _("Đất đai")
    FAMILY = "family", _("Hôn nhân và gia đình")
    CIVIL = "civil", _("Dân sự")
    NEIGHBOUR = "neighbour", _("Mâu thuẫn trong sinh hoạt, láng giềng")
    MINOR_OFFENCE = "minor", _("Vi phạm pháp luật chưa đến mức xử lý")
    OTHER = "other", _("Khác")


class Outcome(models.TextChoices):
    OPEN = "open", _("Đang giải quyết")
    SUCCESS = "success", _("Hòa giải thành")
    FAILURE = "failure", _("Hòa giải không thành")


class MediationCase(models.Model):
    """One entry of the case book (sổ theo dõi hoạt động hòa giải, Law Art. 21 cl. 4)."""

    team = models.ForeignKey(MediationTeam, on_delete=models.PROTECT, related_name="cases")
    number = models.PositiveIntegerField(_("số thứ tự trong sổ"))
    received_on = models.DateField(_("ngày tiếp nhận"))
    origin = models.CharField(_("căn cứ tiến hành"), max_length=10, choices=Origin.choices)
    parties = models.TextField(_("các bên"), help_text=_("Họ tên, địa chỉ các bên."))
    case_type = models.CharField(_("loại vụ việc"), max_length=10, choices=CaseType.choices)
    content = models.TextField(_("nội dung vụ việc"))
    out_of_scope = models.BooleanField(_("không thuộc phạm vi hòa giải (Điều 3)"), default=False)
    out_of_scope_reason = models.CharField(_("lý do"), max_length=255, blank=True)
    assigned_on = models.DateField(_("ngày phân công"), null=True, blank=True)
    started_on = models.DateField(_("ngày bắt đầu hòa giải"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    agreement = models.TextField(_("nội dung thỏa thuận hoặc yêu cầu"), blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("vụ việc hòa giải")
        verbose_name_plural = _("vụ việc hòa giải")
        ordering = ["team", "-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="case_number_once"),
        ]
        indexes = [
            models.Index(fields=["team", "closed_on"]),
            models.Index(fields=["team", "received_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.team.name} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN


class CaseMediator(models.Model):
    """A mediator assigned to a case; one with a conflict of interest is replaced (Law Art.
    18), the reason recorded."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="assignments")
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="assignments")
    replaced_reason = models.CharField(_("lý do thay hòa giải viên"), max_length=255, blank=True)

    class Meta:
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "mediator"], name="case_mediator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.mediator_id}"

    @property
    def replaced(self) -> bool:
        return bool(self.replaced_reason)


# --- Remuneration -----------------------------------------------------------------------------


class PayState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")
    PAID = "paid", _("Đã chi trả")


PAY_OPEN_STATES = (PayState.DRAFT, PayState.RETURNED)
PAY_SETTLED_STATES = (PayState.APPROVED, PayState.PAID)


class PaymentList(models.Model):
    """The quarterly list of per-case remuneration of one commune's teams."""

    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="mediation_payment_lists"
    )
    quarter = models.DateField(_("quý"), help_text=_("Ngày đầu quý."))
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=PayState.choices, default=PayState.DRAFT
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(_("ngày chi trả"), null=True, blank=True)
    payment_reference = models.CharField(_("số chứng từ chi"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("danh sách chi thù lao hòa giải")
        verbose_name_plural = _("danh sách chi thù lao hòa giải")
        ordering = ["commune", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "quarter"], name="mediation_pay_once"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.quarter:%m/%Y}"

    @property
    def quarter_in_sentence(self) -> str:
        """ "quý 4/2026" """
        return Quarter.of(self.quarter).in_sentence

    @property
    def is_open(self) -> bool:
        return self.state in PAY_OPEN_STATES

    @property
    def is_settled(self) -> bool:
        return self.state in PAY_SETTLED_STATES


class PaymentAction(WorkflowAction):
    states = PayState
    payment_list = models.ForeignKey(PaymentList, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý danh sách thù lao hòa giải")
        verbose_name_plural = _("bước xử lý danh sách thù lao hòa giải")

    def __str__(self) -> str:
        return f"{self.payment_list}: {self.from_state} → {self.to_state}"


class PaymentLine(models.Model):
    """One case's remuneration for its team, as computed (snapshot: the list reads these)."""

    payment_list = models.ForeignKey(PaymentList, on_delete=models.CASCADE, related_name="lines")
    case = models.OneToOneField(
        MediationCase, on_delete=models.PROTECT, related_name="payment_line"
    )
    team_name = models.CharField(max_length=160)
    case_number = models.PositiveIntegerField()
    closed_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    mediators = models.CharField(max_length=400, blank=True)
    amount = models.BigIntegerField(_("số tiền (đồng)"), default=0)
    trace = models.JSONField(default=list)
    parameters = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["payment_list", "team_name", "closed_on", "case_number"]

    def __str__(self) -> str:
        return f"{self.team_name} · {self.case_number}"


# --- Accident support (Decree 15/2014 Art. 17) ------------------------------------------------


class AccidentKind(models.TextChoices):
    INJURY = "injury", _("Bị tai nạn, tổn hại sức khỏe")
    DEATH = "death", _("Chết")


class Accident(models.Model):
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="accidents")
    occurred_on = models.DateField(_("ngày xảy ra"))
    kind = models.CharField(_("trường hợp"), max_length=8, choices=AccidentKind.choices)
    description = models.TextField(_("diễn biến"))
    treatment_costs = models.BigIntegerField(_("chi phí cứu chữa, điều trị (đồng)"), default=0)
    lost_income = models.BigIntegerField(_("thu nhập thực tế bị mất (đồng)"), default=0)
    family_support = models.BigIntegerField(_("trợ cấp một lần cho gia đình (đồng)"), default=0)
    funeral_costs = models.BigIntegerField(_("chi phí mai táng (đồng)"), default=0)
    decision_number = models.CharField(_("số quyết định hỗ trợ"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hỗ trợ hòa giải viên gặp tai nạn")
        verbose_name_plural = _("hỗ trợ hòa giải viên gặp tai nạn")
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.mediator} · {self.occurred_on:%d/%m/%Y}"

    @property
    def total(self) -> int:
        return self.treatment_costs + self.lost_income + self.family_support + self.funeral_costs


class AccidentDocument(models.Model):
    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("tên giấy tờ"), max_length=160)
    file = models.FileField(_("tệp"), upload_to="mediation/accidents/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


# --- The plan (seed 004) and the yearly report ----------------------------------------------------


def percent_validators():
    return [MinValueValidator(0), MaxValueValidator(100)]


class MediationPlan(models.Model):
    """A plan's targets and budget (Mỹ Tú 127/KH-UBND). It covers its unit's subtree; targets
    are data, so another district's plan is another row."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="mediation_plans"
    )
    number = models.CharField(_("số kế hoạch"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    title = models.CharField(_("trích yếu"), max_length=255)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=160)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"))
    consolidated_target = models.DecimalField(
        _("tỷ lệ Tổ được củng cố, kiện toàn (%)"),
        max_digits=5,
        decimal_places=2,
        validators=percent_validators(),
    )
    consolidated_strict = models.BooleanField(_("phải vượt (trên) mức này"), default=True)
    success_target = models.DecimalField(
        _("tỷ lệ hòa giải thành (%)"),
        max_digits=5,
        decimal_places=2,
        validators=percent_validators(),
    )
    success_strict = models.BooleanField(_("phải vượt (trên) mức này"), default=False)
    secretary_target = models.DecimalField(
        _("tỷ lệ Tổ trưởng là Bí thư chi bộ (%)"),
        max_digits=5,
        decimal_places=2,
        validators=percent_validators(),
    )
    report_due_month = models.PositiveSmallIntegerField(_("tháng hạn báo cáo"), default=11)
    report_due_day = models.PositiveSmallIntegerField(
        _("báo cáo trước ngày"), default=15, help_text=_("«Trước ngày 15/11»: hạn là 14/11.")
    )

    class Meta:
        verbose_name = _("kế hoạch hòa giải ở cơ sở")
        verbose_name_plural = _("kế hoạch hòa giải ở cơ sở")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"{self.number} ({self.issuer})"

    def clean(self):
        """What the pages rely on: a span of years that runs forwards and a report deadline
        that is a day of the calendar (the admin, the only place plans are entered, calls it)."""
        errors: dict[str, str] = {}
        if self.first_year and self.last_year and self.first_year > self.last_year:
            errors["last_year"] = str(_("Năm kết thúc không được trước năm bắt đầu."))
        try:
            datetime.date(2023, self.report_due_month or 0, self.report_due_day or 0)
        except ValueError:
            errors["report_due_day"] = _(
                "Hạn báo cáo %(day)s/%(month)s không phải là một ngày trong năm."
            ) % {"day": self.report_due_day, "month": self.report_due_month}
        if errors:
            raise ValidationError(errors)

    def due_date(self, year: int) -> datetime.date:
        """The last day a report is on time: the day before «trước ngày …»."""
        return datetime.date(year, self.report_due_month, self.report_due_day) - datetime.timedelta(
            days=1
        )


class BudgetLine(models.Model):
    plan = models.ForeignKey(MediationPlan, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(_("nội dung chi"), max_length=255)
    year = models.PositiveSmallIntegerField(
        _("năm"), null=True, blank=True, help_text=_("Trống = mọi năm của kế hoạch.")
    )
    amount = models.BigIntegerField(_("dự toán (đồng)"))
    remuneration = models.BooleanField(
        _("là khoản thù lao hòa giải viên"),
        default=False,
        help_text=_("Số đã chi của khoản này lấy từ các danh sách thù lao đã duyệt."),
    )

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.label


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SENT = "sent", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    RECEIVED = "received", _("Đã tiếp nhận")


class YearlyReport(models.Model):
    """The plan's yearly report of a unit, due before 15/11, to the justice office above. The
    indicators and the budget are frozen into `contents` when it is sent."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="mediation_reports"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    recipient = models.CharField(_("nơi nhận"), max_length=200, blank=True)
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    due_on = models.DateField(_("hạn gửi"), null=True, blank=True)
    summary = models.TextField(_("đánh giá chung"), blank=True)
    spent = models.JSONField(_("số đã chi theo khoản"), default=dict, blank=True)
    contents = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("báo cáo năm về hòa giải ở cơ sở")
        verbose_name_plural = _("báo cáo năm về hòa giải ở cơ sở")
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="mediation_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"

    @property
    def late(self) -> bool:
        return bool(self.sent_on and self.due_on and self.sent_on > self.due_on)


class ReportAction(WorkflowAction):
    states = ReportState
    report = models.ForeignKey(YearlyReport, on_delete=models.CASCADE, related_name="actions")

    class Meta(WorkflowAction.Meta):
        verbose_name = _("bước xử lý báo cáo hòa giải")
        verbose_name_plural = _("bước xử lý báo cáo hòa giải")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_state} → {self.to_state}"


class DocumentJob(BackgroundJob):
    """The yearly report or the statistics of a unit above one commune, made in the background
    (core.jobs: progress page, served again while the data are unchanged)."""

    class Document(models.TextChoices):
        REPORT = "report", _("Báo cáo năm về hòa giải ở cơ sở")
        STATISTICS = "statistics", _("Thống kê hòa giải ở cơ sở")

    key_fields = ("unit", "document", "year", "kind")

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    document = models.CharField(max_length=12, choices=Document.choices)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, blank=True)  # statistics: "6thang" | "nam"

    class Meta(BackgroundJob.Meta):
        verbose_name = _("tạo tài liệu hòa giải")
        verbose_name_plural = _("tạo tài liệu hòa giải")

    def __str__(self) -> str:
        return f"{self.document} {self.kind} {self.year} · {self.unit} · {self.status}"
