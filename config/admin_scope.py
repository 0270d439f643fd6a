"""Unit scoping of Django's admin (/quan-tri/): an administrator of one province sees and changes
only that province's rows, by the same subtree rule as the application (teams.access); a
superuser sees everything.

`AnttAdminSite.register` (config/security.py) mixes `UnitScopedAdmin` into every ModelAdmin it
registers — ours and third-party ones alike — so no admin can be registered unscoped. A
ModelAdmin says where its rows hang in the tree with one of:

- ``unit_paths``: lookups from the model to an `AdministrativeUnit.path`, e.g.
  ``("commune__path",)``; a row is visible when any of them lies under one of the user's
  administrator units (a person: through a membership or a mediator role);
- ``jurisdiction_field``: a field holding a jurisdiction code (an old province's code, like
  `rules.Parameter.jurisdiction`); visible when it is the jurisdiction of a unit the user
  administers; rows with an empty code are national: visible to all, changed by a superuser.

A ModelAdmin that declares neither holds data of no unit (groups, task results, login
attempts): only a superuser sees it. Inlines declare the same attributes (`UnitScopedInline`
is mixed into them as they are built); an inline that declares none shows nothing to others.

Foreign-key and many-to-many choices in the forms come from the related model's admin, so an
administrator can only pick units, teams or people that admin shows them; a related model
without an admin offers a superuser's choices only.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from teams.access import admin_scope_q
from teams.models import AdministrativeUnit


def _is_superuser(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


def jurisdictions_of(request) -> list[str]:
    """The jurisdiction codes of the units the user administers."""
    codes = (
        AdministrativeUnit.objects.filter(admin_scope_q(request.user))
        .exclude(jurisdiction="")
        .values_list("jurisdiction", flat=True)
        .distinct()
    )
    return sorted(set(codes))


def unit_paths(model_admin) -> tuple[str, ...]:
    return tuple(getattr(model_admin, "unit_paths", ()))


def jurisdiction_field(model_admin) -> str:
    return getattr(model_admin, "jurisdiction_field", "")


class _Scope:
    # The declarations are read with getattr: a class attribute here would come before the
    # ModelAdmin's own in the method resolution order and hide it.

    def scope_queryset(self, request, queryset: QuerySet) -> QuerySet:
        if _is_superuser(request):
            return queryset
        paths = unit_paths(self)
        if paths:
            q = Q(pk__in=[])
            for path in paths:
                q |= admin_scope_q(request.user, path_field=path)
            if paths == ("path",):  # the units themselves
                return queryset.filter(q)
            # A lookup through a to-many relation (a person's memberships, a user's
            # assignments) would repeat rows: filter by the keys of the rows in scope.
            return queryset.filter(pk__in=queryset.model._default_manager.filter(q).values("pk"))
        field = jurisdiction_field(self)
        if field:
            return queryset.filter(
                Q(**{f"{field}__in": jurisdictions_of(request)}) | Q(**{field: ""})
            )
        return queryset.none()

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))  # type: ignore[misc]

    def get_field_queryset(self, db, db_field, request):
        """Choices of a relation: the rows the related model's admin shows this user."""
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        related_model = db_field.remote_field.model
        related_admin = self.admin_site._registry.get(related_model)  # type: ignore[attr-defined]
        if isinstance(related_admin, UnitScopedAdmin):
            if queryset is None:
                queryset = related_model._default_manager.using(db)
            return related_admin.scope_queryset(request, queryset)
        if _is_superuser(request):
            return queryset
        return related_model._default_manager.none()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = jurisdiction_field(self)
        if field and db_field.name == field and not _is_superuser(request):
            codes = jurisdictions_of(request)
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[(c, c) for c in codes],
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class UnitScopedInline(_Scope):
    """For inlines (their permission checks receive the parent object, which the parent admin
    has already found in its own scoped queryset)."""


class UnitScopedAdmin(_Scope):
    def _declared(self) -> bool:
        return bool(unit_paths(self) or jurisdiction_field(self))

    def _in_scope(self, request, obj) -> bool:
        """Whether `obj` is one of the rows this user may see. Views that do not fetch the
        object through `get_queryset` (simple_history's history pages read the history table)
        come here through the permission checks."""
        if _is_superuser(request) or obj is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def _national(self, obj) -> bool:
        field = jurisdiction_field(self)
        return bool(field and obj is not None and not getattr(obj, field))

    def has_module_permission(self, request):
        if not (_is_superuser(request) or self._declared()):
            return False
        return super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request, obj=None):
        if not (_is_superuser(request) or self._declared()):
            return False
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request, *args):
        if not (_is_superuser(request) or self._declared()):
            return False
        return super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None):
        if not (_is_superuser(request) or self._declared()):
            return False
        if self._national(obj) and not _is_superuser(request):
            return False
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None):
        if not (_is_superuser(request) or self._declared()):
            return False
        if self._national(obj) and not _is_superuser(request):
            return False
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)  # type: ignore[misc]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)  # type: ignore[misc]
        return [scoped_class(inline, UnitScopedInline) for inline in inlines]


_SCOPED_CLASSES: dict[tuple[type, type], type] = {}


def scoped_class(admin_class: type, mixin: type) -> type:
    """`admin_class` with `mixin` in front (made once per class, same name and module)."""
    if issubclass(admin_class, mixin):
        return admin_class
    key = (admin_class, mixin)
    if key not in _SCOPED_CLASSES:
        _SCOPED_CLASSES[key] = type(
            admin_class.__name__,
            (mixin, admin_class),
            {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
        )
    return _SCOPED_CLASSES[key]
