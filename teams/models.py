"""The administrative tree over time, residential areas, users and who may see what.

The tree changed on 1 Jul 2025 (Resolution 202/2025/QH15): districts were abolished, 63 provinces
became 34 and about 10,000 communes became 3,321. Both trees live side by side in one table,
told apart by `tree` and by validity dates; each new commune links to the old communes it was
formed from. Rules follow the *jurisdiction* (the pre-merger province), not the current province.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from vietnam_provinces.helpers import normalize_search_name

from rules.names import jurisdiction_name


def search_key(text: str) -> str:
    """Lower case without diacritics ("Xã Tiên Kiên" → "tien kien"), so that officers can type
    names the way they type them on a phone, and so that SQLite, whose LIKE folds only ASCII
    case, matches the same rows as PostgreSQL."""
    return normalize_search_name(text).strip()


class User(AbstractUser):
    """Someone who logs in. What they may see and do comes from their `Assignment`s."""

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (`last_name`) before the given name."""
        return f"{self.last_name} {self.first_name}".strip()


class Tree(models.TextChoices):
    LEGACY = "legacy", _("Trước 01/07/2025 (tỉnh – huyện – xã)")
    CURRENT = "2025", _("Từ 01/07/2025 (tỉnh – xã)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitKind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    QUAN = "quan", _("Quận")
    HUYEN = "huyen", _("Huyện")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> AdministrativeUnitQuerySet:
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def within(self, unit: AdministrativeUnit) -> AdministrativeUnitQuerySet:
        """The unit and everything under it: one indexed prefix match on the path."""
        return self.filter(path__startswith=unit.path)

    def communes(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=Level.COMMUNE)


class AdministrativeUnit(models.Model):
    """A province, district or commune of one of the two trees, with official GSO code.

    `path` is a materialised path of official codes prefixed by the tree, e.g.
    ``legacy/25/237/08497/`` (old Phú Thọ → Lâm Thao → Tiên Kiên) or ``2025/92/31567/``
    (Cần Thơ → Mỹ Tú), so "everything under X" is ``path__startswith=X.path``.
    """

    tree = models.CharField(_("cây hành chính"), max_length=8, choices=Tree.choices)
    level = models.CharField(_("cấp"), max_length=8, choices=Level.choices)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=5)
    name = models.CharField(_("tên"), max_length=120)
    # Lower case, without diacritics or the "xã/phường" prefix, for searching "tien kien".
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn"), max_length=40, unique=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    jurisdiction = models.CharField(
        _("thẩm quyền áp dụng quy định (mã tỉnh cũ)"),
        max_length=2,
        blank=True,
        help_text=_(
            "Tỉnh trước sắp xếp năm 2025 có nghị quyết HĐND áp dụng cho đơn vị này; để trống "
            "khi không xác định được."
        ),
    )
    jurisdiction_note = models.CharField(
        _("ghi chú thẩm quyền"),
        max_length=300,
        blank=True,
        help_text=_("Khác rỗng khi thẩm quyền cần cán bộ kiểm tra (ví dụ: hợp nhất từ hai tỉnh)."),
    )
    jurisdiction_confirmed = models.BooleanField(
        _("thẩm quyền đã được xác nhận"),
        default=False,
        help_text=_("Quản trị viên đã kiểm tra thẩm quyền; lần nạp dữ liệu sau không ghi đè."),
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("hình thành từ"),
        through="UnitSuccession",
        through_fields=("successor", "predecessor"),
        symmetrical=False,
        related_name="successors",
        blank=True,
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["tree", "level", "code"], name="unit_code_per_tree"),
        ]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name as officials write it: pre-2025 units carry "(cũ)", since old and new
        Phú Thọ are both called "Tỉnh Phú Thọ"."""
        return f"{self.name} (cũ)" if self.tree == Tree.LEGACY else self.name

    @property
    def is_commune(self) -> bool:
        return self.level == Level.COMMUNE

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def has_ended(self, today: datetime.date) -> bool:
        return self.valid_to is not None and self.valid_to < today

    @property
    def ancestor_paths(self) -> list[str]:
        """Paths of the units above this one, top first (``legacy/25/``, ``legacy/25/237/``)."""
        parts = self.path.strip("/").split("/")
        return ["/".join(parts[:i]) + "/" for i in range(2, len(parts))]

    @property
    def jurisdiction_name(self) -> str:
        return jurisdiction_name(self.jurisdiction)


class UnitSuccession(models.Model):
    """An old commune (valid until 30 Jun 2025) that became part of a new one on 1 Jul 2025."""

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="succession_as_predecessor"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="succession_as_successor"
    )
    partly = models.BooleanField(
        _("chỉ một phần"),
        default=False,
        help_text=_("Chỉ một phần diện tích, dân số của đơn vị cũ nhập vào đơn vị mới."),
    )

    class Meta:
        verbose_name = _("sắp xếp đơn vị")
        verbose_name_plural = _("sắp xếp đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class AreaKind(models.TextChoices):
    THON = "thon", _("Thôn")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    KHU = "khu", _("Khu")
    KHU_DAN_CU = "khu_dan_cu", _("Khu dân cư")
    KHU_PHO = "khu_pho", _("Khu phố")
    KHU_VUC = "khu_vuc", _("Khu vực")
    AP = "ap", _("Ấp")
    BAN = "ban", _("Bản")
    BUON = "buon", _("Buôn")
    LANG = "lang", _("Làng")
    KHOM = "khom", _("Khóm")
    PHUM_SOC = "phum_soc", _("Phum, sóc")
    OTHER = "other", _("Khác")


class ResidentialArea(models.Model):
    """A village or residential group of a commune: where a team is placed (Law 30/2023 Art. 2(3)).

    Household and resident counts drive the member quota of the provincial resolution.
    """

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="residential_areas",
        limit_choices_to={"level": Level.COMMUNE},
    )
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=AreaKind.choices)
    households = models.PositiveIntegerField(_("số hộ gia đình"))
    residents = models.PositiveIntegerField(_("số nhân khẩu"), null=True, blank=True)
    village_type = models.PositiveSmallIntegerField(
        _("phân loại thôn, tổ dân phố"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("Loại 1, 2 hoặc 3, nơi nghị quyết của tỉnh phân biệt mức hỗ trợ theo loại."),
    )

    class Meta:
        verbose_name = _("khu dân cư")
        verbose_name_plural = _("khu dân cư")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="area_name_per_commune"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    FINANCE_OFFICER = "finance_officer", _("Cán bộ tài chính")
    INSURANCE_OFFICER = "insurance_officer", _("Cán bộ bảo hiểm xã hội")
    PROVINCIAL_POLICE = "provincial_police", _("Công an tỉnh")
    ADMINISTRATOR = "administrator", _("Quản trị viên")


class Assignment(models.Model):
    """A user holds a role at a unit and thereby sees that unit's whole subtree.

    What each role may do is declared in one table, `teams.access.ROLE_PERMISSIONS`.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    title = models.CharField(
        _("chức vụ"), max_length=120, blank=True, help_text=_("Ví dụ: Phó Trưởng Công an xã.")
    )

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        ordering = ["user", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
