"""Parameter values in the database: the shipped fixtures plus what administrators add.

Rows loaded from fixtures/ are marked `origin=fixture` and refreshed by `load_parameters`; rows
an administrator enters (`origin=admin`) are never touched by it. A value is never edited in
place once used: a change in the law is a new row with its own `effective_from`.

`RuleSnapshot` records how an amount was computed (rule module, citation, trace, parameter
values); allowance and insurance lines point to it, and `rules.snapshots` writes them in bulk.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import parameter_label
from .dates import format_date
from .names import jurisdiction_name
from .parameters import (
    ParameterTable,
    ParameterValue,
    Source,
    Unit,
    parse_value,
    source_of,
    value_text,
)


class Parameter(models.Model):
    class Origin(models.TextChoices):
        FIXTURE = "fixture", _("Dữ liệu kèm phần mềm")
        ADMIN = "admin", _("Quản trị viên nhập")

    key = models.CharField(_("tham số"), max_length=80, db_index=True)
    jurisdiction = models.CharField(
        _("thẩm quyền (mã tỉnh cũ)"),
        max_length=2,
        blank=True,
        help_text=_("Để trống cho tham số toàn quốc (lương cơ sở, tỷ lệ đóng BHXH…)."),
    )
    value = models.CharField(_("giá trị"), max_length=200)
    unit = models.CharField(_("đơn vị"), max_length=16, choices=[(u.value, u.label) for u in Unit])
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(
        _("áp dụng đến ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống: áp dụng đến khi có giá trị mới của cùng tham số."),
    )
    citation = models.CharField(
        _("căn cứ"),
        max_length=400,
        help_text=_(
            "Số, ký hiệu văn bản, điều, khoản, điểm. Ví dụ: NQ 03/2024/NQ-HĐND tỉnh Phú Thọ, khoản 1, điểm a."
        ),
    )
    source = models.CharField(
        _("nguồn của giá trị"),
        max_length=12,
        choices=[(s.value, s.label) for s in Source],
        default=Source.RESOLUTION.value,
        db_index=True,
        help_text=_(
            "Chỉ giá trị đọc từ văn bản (nghị quyết, nghị định…) được coi là đã xác minh; "
            "số liệu từ báo chí, mặc định của phần mềm hay giá trị trình diễn được đánh dấu "
            "«chưa xác minh» trên mọi trang và văn bản in."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    origin = models.CharField(
        max_length=8, choices=Origin.choices, default=Origin.ADMIN, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tham số quy định")
        verbose_name_plural = _("tham số quy định")
        ordering = ["jurisdiction", "key", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "jurisdiction", "effective_from"], name="parameter_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{parameter_label(self.key)} · {self.jurisdiction_label} · {format_date(self.effective_from)}"

    @property
    def jurisdiction_label(self) -> str:
        return jurisdiction_name(self.jurisdiction)

    @property
    def verified(self) -> bool:
        return Source(self.source).verified

    def clean(self) -> None:
        try:
            parsed = parse_value(self.value, Unit(self.unit))
        except ValueError as exc:
            raise ValidationError({"value": str(exc)}) from exc
        self.value = value_text(parsed, Unit(self.unit))
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")}
            )

    def as_value(self) -> ParameterValue:
        return _as_value(*(getattr(self, name) for name in _VALUE_FIELDS))


# The columns a ParameterValue is made of, in `_as_value`'s order.
_VALUE_FIELDS = (
    "key",
    "jurisdiction",
    "value",
    "unit",
    "effective_from",
    "effective_to",
    "citation",
    "source",
    "note",
)


def _as_value(
    key, jurisdiction, value, unit, effective_from, effective_to, citation, source, note
) -> ParameterValue:
    unit = Unit(unit)
    return ParameterValue(
        key=key,
        jurisdiction=jurisdiction,
        value=parse_value(value, unit),
        unit=unit,
        effective_from=effective_from,
        effective_to=effective_to,
        citation=citation,
        source=Source(source),
        note=note,
    )


def database_parameters(jurisdictions: list[str] | None = None) -> ParameterTable:
    """The parameter table as administrators maintain it: one query, then lookups in memory.

    Limit it to some jurisdictions (national parameters are always included) for a run.
    """
    rows = Parameter.objects.all()
    if jurisdictions is not None:
        rows = rows.filter(jurisdiction__in=["", *jurisdictions])
    # The columns alone, not model instances (a quota page reads ~70 rows on every request).
    return ParameterTable(_as_value(*row) for row in rows.values_list(*_VALUE_FIELDS))


class RuleSnapshot(models.Model):
    """How an amount was computed: immutable and shared by every line computed the same way
    (content-addressed by `digest`), so a national run stores a few thousand, not 276,000."""

    digest = models.CharField(max_length=64, unique=True)
    rule_module = models.CharField(max_length=120)
    citation = models.CharField(max_length=400)
    trace = models.JSONField()
    parameters = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Created by allowances (migration 0001) and moved here so that insurance need not
        # import allowances; the table keeps its name (rules migration 0002).
        db_table = "allowances_rulesnapshot"
        verbose_name = _("cách tính")
        verbose_name_plural = _("cách tính")

    def __str__(self) -> str:
        return f"{self.rule_module} · {self.digest[:10]}"

    @property
    def unverified_parameters(self) -> list[dict]:
        """The parameter entries whose value is not from the legal text (press, default,
        demo): documents mark the lines computed with them."""
        return [p for p in self.parameters if not source_of(p).verified]

    @staticmethod
    def digest_of(rule_module: str, citation: str, trace: list, parameters: list) -> str:
        payload = json.dumps(
            [rule_module, citation, trace, parameters], ensure_ascii=False, sort_keys=True
        )
        return hashlib.sha256(payload.encode()).hexdigest()
