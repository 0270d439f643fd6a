"""The home page: the units a user is assigned to, each with what lies under it."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from teams import selectors
from teams.access import user_assignments
from teams.models import Role


@require_safe
def home(request):
    actor = request.user
    context = {"cards": selectors.home_cards(actor=actor), "today": timezone.localdate()}
    # A superuser's administrator assignment (needed for the admin site) is not a unit they
    # work in: they still start from the list of provinces.
    if actor.is_superuser and all(a.role == Role.ADMINISTRATOR for a in user_assignments(actor)):
        context["provinces"] = selectors.top_units(actor=actor)
    return render(request, "workspace/home.html", context)
