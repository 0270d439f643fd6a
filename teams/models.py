"""The administrative tree over time, residential areas, users and who may see what.

The tree changed on 1 Jul 2025 (Resolution 202/2025/QH15): districts were abolished, 63 provinces
became 34 and about 10,000 communes became 3,321. Both trees live side by side in one table,
told apart by `tree` and by validity dates; each new commune links to the old communes it was
formed from. Rules follow the *jurisdiction* (the pre-merger province), not the current province.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from vietnam_provinces.helpers import normalize_search_name

from core.history import HistoricalRecords
from rules.base import ConcurrentPost, TeamRole
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
    is_island = models.BooleanField(
        _("xã đảo"),
        default=False,
        help_text=_(
            "Quản trị viên đánh dấu xã đảo (dữ liệu chính thức không có thông tin này). Người "
            "sinh sống tại xã đảo, đặc khu được Nhà nước hỗ trợ 50 % tiền đóng BHXH tự nguyện "
            "từ 01/07/2025 (Nghị định 159/2025/NĐ-CP); đặc khu được tính là xã đảo."
        ),
    )
    minimum_wage_region = models.CharField(
        _("vùng lương tối thiểu"),
        max_length=3,
        blank=True,
        choices=[("I", "I"), ("II", "II"), ("III", "III"), ("IV", "IV")],
        help_text=_(
            "Vùng I–IV theo nghị định về lương tối thiểu (Nghị định 74/2024/NĐ-CP, phụ lục): "
            "cần khi nghị quyết của tỉnh tính mức hỗ trợ theo phần trăm lương tối thiểu vùng."
        ),
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
    def lives_on_island(self) -> bool:
        """An island commune (flag set by an administrator) or a special zone (đặc khu)."""
        return self.is_island or self.kind == UnitKind.DAC_KHU

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


class Versioned(models.Model):
    """A row edited in forms by several officers: `version` goes up by one on every save made
    through a service, and an edit submitted against an older version is refused as a
    conflict (optimistic locking, see `teams.services`)."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True


class ResidentialArea(Versioned):
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
    # The old areas (of the pre-2025 communes) this one was carried over from on 01/07/2025:
    # one when kept or renamed, several when merged (carryover app).
    came_from = models.ManyToManyField(
        "self",
        verbose_name=_("hình thành từ khu dân cư cũ"),
        symmetrical=False,
        related_name="went_to",
        blank=True,
    )

    history = HistoricalRecords()

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
    # The police who receive and consolidate reports: provincial, and district where it exists.
    PROVINCIAL_POLICE = "provincial_police", _("Công an (tiếp nhận, tổng hợp báo cáo)")
    # Leaders of the commune People's Committee: record the Committee's decisions (e.g. the
    # yearly "An toàn về an ninh, trật tự" recognition, Circular 124/2021/TT-BCA Art. 10).
    COMMUNE_LEADER = "commune_leader", _("Lãnh đạo UBND cấp xã")
    # Grassroots mediation (Law 35/2013/QH13): the commune's justice civil servant keeps the
    # mediation teams and case books; the justice office above reads and consolidates.
    JUSTICE_OFFICER = "justice_officer", _("Công chức tư pháp - hộ tịch cấp xã")
    JUSTICE_OFFICE = "justice_office", _("Cơ quan tư pháp (tiếp nhận, tổng hợp báo cáo hòa giải)")
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


# ---------------------------------------------------------------------------------------------
# Teams, people and memberships (Law 30/2023/QH15 Art. 13, 14, 16, 17)
#
# History: every change to these rows is kept field by field by django-simple-history (one
# shadow table per model, typed columns). It was chosen over django-auditlog because reports
# need "who was in the team on day X" as a query over typed columns (`history.as_of`), and the
# member page shows before/after values computed from whole snapshots; auditlog keeps one JSON
# diff table that answers "what changed" but not point-in-time rosters. Services set the acting
# officer on every save (`_history_user`), so the command line and imports are attributed too.
# ---------------------------------------------------------------------------------------------


class TeamStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể")


class Team(Versioned):
    """A Tổ bảo vệ ANTT of a commune, covering one or more residential areas (Art. 14(2)),
    set up by a decision of the commune chair (Art. 14(5))."""

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="teams",
        limit_choices_to={"level": Level.COMMUNE},
    )
    name = models.CharField(_("tên Tổ"), max_length=160)
    areas = models.ManyToManyField(
        ResidentialArea, verbose_name=_("khu dân cư phụ trách"), related_name="teams"
    )
    # The old commune's teams this one continues from 01/07/2025 (kept, or merged).
    came_from = models.ManyToManyField(
        "self",
        verbose_name=_("kiện toàn từ Tổ cũ"),
        symmetrical=False,
        related_name="went_to",
        blank=True,
    )
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định thành lập"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TeamStatus.choices, default=TeamStatus.ACTIVE
    )
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    dissolution_decision_number = models.CharField(
        _("số quyết định giải thể"), max_length=60, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        verbose_name = _("Tổ bảo vệ ANTT")
        verbose_name_plural = _("Tổ bảo vệ ANTT")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name"],
                condition=models.Q(status="active"),
                name="team_name_per_commune",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", dissolved_on__isnull=True)
                | models.Q(status="dissolved", dissolved_on__isnull=False),
                name="team_dissolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == TeamStatus.ACTIVE


class Sex(models.TextChoices):
    # The same values as rules.cccd.MALE / FEMALE.
    NAM = "nam", _("Nam")
    NU = "nu", _("Nữ")


class ResidenceType(models.TextChoices):
    THUONG_TRU = "thuong_tru", _("Thường trú")
    TAM_TRU = "tam_tru", _("Tạm trú")


class Education(models.TextChoices):
    """General education reached (trình độ giáo dục), lowest first: Art. 13(3) asks for THCS
    or higher, primary school being enough in the areas of `EducationException`."""

    CHUA_TN_TIEU_HOC = "chua_tn_tieu_hoc", _("Chưa tốt nghiệp tiểu học")
    TIEU_HOC = "tieu_hoc", _("Tiểu học")
    THCS = "thcs", _("Trung học cơ sở")
    THPT = "thpt", _("Trung học phổ thông")
    TRUNG_CAP = "trung_cap", _("Trung cấp")
    CAO_DANG = "cao_dang", _("Cao đẳng")
    DAI_HOC = "dai_hoc", _("Đại học")
    SAU_DAI_HOC = "sau_dai_hoc", _("Sau đại học")

    @property
    def rank(self) -> int:
        return list(Education).index(self)


class HouseholdStatus(models.TextChoices):
    """Drives the state's voluntary-insurance support group (Decree 159/2025)."""

    NGHEO = "ngheo", _("Hộ nghèo")
    CAN_NGHEO = "can_ngheo", _("Hộ cận nghèo")
    KHAC = "khac", _("Khác")


# The 54 ethnic groups of Viet Nam, in the order of the General Statistics Office's list.
ETHNIC_GROUPS = [
    "Kinh", "Tày", "Thái", "Hoa", "Khmer", "Mường", "Nùng", "Mông", "Dao", "Gia Rai", "Ngái",
    "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra Glai", "Xtiêng", "Bru - Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Giẻ Triêng", "Mạ", "Khơ Mú",
    "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha",
    "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cờ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
]  # fmt: skip
ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS]
MAJORITY_ETHNICITY = "Kinh"


def person_search_name(full_name: str) -> str:
    """The stored search form of a name: no diacritics, lower case, single spaces."""
    return " ".join(search_key(full_name).split())


class Person(Versioned):
    """Someone who is or was a member. One row per citizen: the CCCD number is unique in the
    whole system, so the same person cannot serve in two teams at once (see `Membership`)."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    # Lower case, without diacritics: "nguyen thi huyen" finds "Nguyễn Thị Huyền".
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=3, choices=Sex.choices)
    cccd = models.CharField(
        _("số CCCD"),
        max_length=12,
        unique=True,
        help_text=_("12 chữ số trên thẻ căn cước / căn cước công dân."),
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    ethnicity = models.CharField(
        _("dân tộc"), max_length=40, choices=ETHNICITY_CHOICES, default=MAJORITY_ETHNICITY
    )
    education = models.CharField(_("trình độ học vấn"), max_length=20, choices=Education.choices)
    household_status = models.CharField(
        _("hoàn cảnh hộ gia đình"),
        max_length=12,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.KHAC,
        help_text=_("Hộ nghèo, cận nghèo được hỗ trợ thêm khi đóng BHXH tự nguyện."),
    )
    residence_type = models.CharField(
        _("hình thức cư trú"), max_length=12, choices=ResidenceType.choices
    )
    residence_address = models.CharField(_("địa chỉ cư trú"), max_length=255)
    residence_since = models.DateField(_("cư trú từ ngày"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["search_name"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = person_search_name(self.full_name)
        super().save(*args, **kwargs)


class EducationException(models.TextChoices):
    """Areas where primary school is enough (Law 30/2023/QH15 Art. 13(3))."""

    BIEN_GIOI = "bien_gioi", _("Khu vực biên giới")
    HAI_DAO = "hai_dao", _("Hải đảo")
    MIEN_NUI = "mien_nui", _("Miền núi")
    DBKK = "dbkk", _("Vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn")
    DTTS = "dtts", _("Vùng đồng bào dân tộc thiểu số")


class EndGround(models.TextChoices):
    """Why a membership ended: the four grounds of Art. 17(3), or a dated change of
    appointment (another team, or another role in the same team), which is not an end of
    membership in the force, only of this appointment."""

    APPLICATION = "a", _("Điểm a: tự nguyện xin thôi tham gia")
    HEALTH = "b", _("Điểm b: không còn đủ sức khỏe")
    MISCONDUCT = "c", _("Điểm c: từ chối nhiệm vụ hoặc lợi dụng vị trí để vi phạm pháp luật")
    PROSECUTION = "d", _("Điểm d: bị khởi tố, áp dụng biện pháp ngăn chặn hoặc xử lý hành chính")
    TRANSFER = "chuyen_to", _("Chuyển Tổ, đổi chức danh")
    # The 1 July 2025 reorganisation (Resolution 190/2025/QH15 Art. 10): the old commune's
    # membership ends on 30/06/2025 and continues in the new commune from 01/07/2025. An
    # administrative transfer, not one of the four grounds: reports never count it as leaving.
    REORGANISATION = "sap_xep", _("Chuyển do sắp xếp đơn vị hành chính")

    @classmethod
    def art17_choices(cls):
        return [(g.value, g.label) for g in cls if g not in (cls.TRANSFER, cls.REORGANISATION)]

    @classmethod
    def not_leaving(cls) -> tuple[str, ...]:
        """Endings that are no end of service in the force (reports do not count them)."""
        return (cls.TRANSFER.value, cls.REORGANISATION.value)


# Role and post names as people read them on pages: the words of rules.base (`TeamRole.label`,
# `ConcurrentPost.label`), marked for translation here. The rules keep plain Vietnamese, because
# their traces are stored and printed on Vietnamese documents; documents and spreadsheets render
# these lazily under Vietnamese (core.documents, core.exporters), pages in the reader's language.
ROLE_LABELS = {
    TeamRole.TO_TRUONG: _("Tổ trưởng"),
    TeamRole.TO_PHO: _("Tổ phó"),
    TeamRole.TO_VIEN: _("Tổ viên"),
}
POST_LABELS = {
    ConcurrentPost.KHONG_CHUYEN_TRACH_KDC: _("Người hoạt động không chuyên trách ở khu dân cư"),
    ConcurrentPost.TRUC_TIEP_KDC: _("Người trực tiếp tham gia hoạt động ở khu dân cư"),
    ConcurrentPost.DOI_TRUONG_DAN_PHONG: _("Đội trưởng đội dân phòng"),
    ConcurrentPost.DOI_PHO_DAN_PHONG: _("Đội phó đội dân phòng"),
}
ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in TeamRole]
POST_CHOICES = [(p.value, POST_LABELS[p]) for p in ConcurrentPost]


def role_label(role: str) -> str:
    """A team role's name in the reader's language ("Tổ trưởng")."""
    return str(ROLE_LABELS[TeamRole(role)])


class Membership(Versioned):
    """One appointment of a person to a team. History is kept, never overwritten: ending sets
    the end fields, a transfer ends this row and starts another (`transferred_to`).

    A membership is active while `end_date` is empty. The database itself refuses a second
    active membership of one person and a second active Tổ trưởng in one team.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("người"), on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("Tổ"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("chức danh"), max_length=12, choices=ROLE_CHOICES)
    start_date = models.DateField(_("ngày bắt đầu tham gia"))
    appointment_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    appointment_date = models.DateField(_("ngày quyết định công nhận"), null=True, blank=True)
    concurrent_posts = models.JSONField(_("kiêm nhiệm"), default=list, blank=True)
    education_exception = models.CharField(
        _("vùng được áp dụng trình độ tiểu học (Điều 13 khoản 3)"),
        max_length=12,
        choices=EducationException.choices,
        blank=True,
    )
    over_70_approval_number = models.CharField(
        _("số văn bản Chủ tịch UBND xã chấp thuận (trên 70 tuổi)"), max_length=60, blank=True
    )
    over_70_approval_date = models.DateField(
        _("ngày chấp thuận (trên 70 tuổi)"), null=True, blank=True
    )
    over_quota_reason = models.TextField(
        _("lý do vượt định mức"),
        blank=True,
        help_text=_(
            "Khi Tổ đã đủ định mức mà vẫn bổ sung, ví dụ: số, ngày văn bản cho phép của UBND "
            "cấp tỉnh."
        ),
    )
    end_date = models.DateField(_("ngày thôi tham gia"), null=True, blank=True)
    end_ground = models.CharField(
        _("căn cứ thôi tham gia"), max_length=12, choices=EndGround.choices, blank=True
    )
    end_decision_number = models.CharField(
        _("số quyết định thôi tham gia (Mẫu 08)"), max_length=60, blank=True
    )
    end_decision_date = models.DateField(_("ngày quyết định thôi tham gia"), null=True, blank=True)
    transferred_to = models.OneToOneField(
        "self",
        verbose_name=_("chuyển sang"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quá trình tham gia Tổ")
        verbose_name_plural = _("quá trình tham gia Tổ")
        ordering = ["team", "start_date"]
        indexes = [models.Index(fields=["team", "end_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(end_date__isnull=True),
                name="membership_one_active_per_person",
                violation_error_message=_("Người này đang tham gia một Tổ khác."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(end_date__isnull=True, role=TeamRole.TO_TRUONG.value),
                name="membership_one_leader_per_team",
                violation_error_message=_("Tổ đã có Tổ trưởng."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True, end_ground="")
                | (models.Q(end_date__isnull=False) & ~models.Q(end_ground="")),
                name="membership_end_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.team}"

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    @property
    def posts(self) -> list[ConcurrentPost]:
        return [ConcurrentPost(p) for p in self.concurrent_posts]

    @property
    def posts_display(self) -> str:
        return "; ".join(p.label for p in self.posts)


# ---------------------------------------------------------------------------------------------
# The roster's fields, declared once
# ---------------------------------------------------------------------------------------------


class RosterField(NamedTuple):
    """A field of `Person` or `Membership` that officers enter, and the title of its column in
    the roster workbooks (always Vietnamese, like every official document).

    Everything else comes from the model field (label, length, choices, default, date or
    text) and is built from the two tuples below, in their order: the forms
    (`teams.forms`), `PersonData` / `MembershipData` (`teams.validation`), the Excel columns,
    template and export (`teams.roster_io.columns`) and the person's page. Adding a field:
    README, "Where things live"."""

    name: str
    header: str
    # The workbook must have this column (else the file is refused); forms mark the field *.
    # A column that may be left out, or a cell left blank, takes the model field's default.
    required: bool = False


PERSON_FIELDS = (
    RosterField("full_name", "Họ và tên", required=True),
    RosterField("birth_date", "Ngày sinh", required=True),
    RosterField("sex", "Giới tính", required=True),
    RosterField("cccd", "Số CCCD", required=True),
    RosterField("phone", "Số điện thoại"),
    RosterField("ethnicity", "Dân tộc", required=True),
    RosterField("education", "Trình độ học vấn", required=True),
    RosterField("household_status", "Hoàn cảnh hộ"),
    RosterField("residence_type", "Hình thức cư trú", required=True),
    RosterField("residence_address", "Địa chỉ cư trú", required=True),
    RosterField("residence_since", "Cư trú từ ngày", required=True),
)
MEMBERSHIP_FIELDS = (
    RosterField("role", "Chức danh", required=True),
    RosterField("start_date", "Ngày bắt đầu", required=True),
    RosterField("appointment_number", "Số QĐ công nhận"),
    RosterField("appointment_date", "Ngày QĐ công nhận"),
    RosterField("concurrent_posts", "Kiêm nhiệm"),
    RosterField("education_exception", "Vùng áp dụng trình độ tiểu học"),
    RosterField("over_70_approval_number", "Số VB chấp thuận trên 70 tuổi"),
    RosterField("over_70_approval_date", "Ngày VB chấp thuận trên 70 tuổi"),
    RosterField("over_quota_reason", "Lý do vượt định mức"),
)


class RosterImport(models.Model):
    """An uploaded roster workbook: checked first (dry run), imported when the officer confirms.

    The file is kept between the two steps, then emptied once imported (personal data is not
    kept twice); the row tells who imported what, when, with which result.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("Đã kiểm tra")
        IMPORTED = "imported", _("Đã nhập")

    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="roster_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    # The dry run's findings: {"created", "updated", "unchanged", "errors": [...], "preview": [...]}
    report = models.JSONField(default=dict, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập danh sách từ Excel")
        verbose_name_plural = _("lần nhập danh sách từ Excel")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%d/%m/%Y %H:%M})"
