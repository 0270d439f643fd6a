from .access import ROLE_PERMISSIONS, Perm, user_assignments


def navigation(request) -> dict:
    """The permissions the user holds anywhere, for the main menu (one cached query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_perms": frozenset()}
    if user.is_superuser:
        return {"nav_perms": frozenset(Perm)}
    perms: set[Perm] = set()
    for assignment in user_assignments(user):
        perms |= ROLE_PERMISSIONS[assignment.role]
    return {"nav_perms": frozenset(perms)}
