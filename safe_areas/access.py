"""Access to the objects of the "An toàn về an ninh, trật tự" work: 404 for missing or not
yours, 403 with the reason when the role may see but not do (teams.access)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from teams.access import Perm, one_in_scope, require
from teams.models import User

from .models import AreaYear, CommuneYear, Establishment, SelfManagementModel


def access_area_year(user: User, pk: int, perm: Perm = Perm.VIEW) -> AreaYear:
    area_year = one_in_scope(
        AreaYear, user, pk, path_field="commune__path", select_related=("area", "commune")
    )
    if area_year is None:
        raise Http404(_("Không tìm thấy hồ sơ năm của khu dân cư."))
    require(user, area_year.commune, perm)
    return area_year


def access_establishment(user: User, pk: int, perm: Perm = Perm.VIEW) -> Establishment:
    establishment = one_in_scope(
        Establishment, user, pk, path_field="commune__path", select_related=("commune",)
    )
    if establishment is None:
        raise Http404(_("Không tìm thấy cơ quan, doanh nghiệp, cơ sở giáo dục."))
    require(user, establishment.commune, perm)
    return establishment


def access_model(user: User, pk: int, perm: Perm = Perm.VIEW) -> SelfManagementModel:
    model = one_in_scope(
        SelfManagementModel,
        user,
        pk,
        path_field="commune__path",
        select_related=("area", "commune"),
    )
    if model is None:
        raise Http404(_("Không tìm thấy mô hình tự quản."))
    require(user, model.commune, perm)
    return model


def access_commune_year(user: User, pk: int, perm: Perm = Perm.VIEW) -> CommuneYear:
    commune_year = one_in_scope(
        CommuneYear,
        user,
        pk,
        path_field="commune__path",
        select_related=("commune", "deciding_unit"),
    )
    if commune_year is None:
        raise Http404(_("Không tìm thấy hồ sơ năm của xã."))
    require(user, commune_year.commune, perm)
    return commune_year
