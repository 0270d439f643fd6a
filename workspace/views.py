"""The home page (the units a user is assigned to, and what waits for them) and the inbox."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.inbox import work_for
from teams import selectors
from teams.access import user_assignments
from teams.models import Role

# The home page shows the oldest items; the inbox page shows them all.
HOME_ITEMS = 8


@require_safe
def home(request):
    actor = request.user
    today = timezone.localdate()
    inbox = work_for(actor, today)
    context = {
        "cards": selectors.home_cards(actor=actor),
        "today": today,
        "inbox": inbox,
        "inbox_items": inbox.items[:HOME_ITEMS],
        "inbox_more": max(0, len(inbox) - HOME_ITEMS),
    }
    # A superuser's administrator assignment (needed for the admin site) is not a unit they
    # work in: they still start from the list of provinces.
    if actor.is_superuser and all(a.role == Role.ADMINISTRATOR for a in user_assignments(actor)):
        context["provinces"] = selectors.top_units(actor=actor)
    return render(request, "workspace/home.html", context)


@require_safe
def inbox(request):
    today = timezone.localdate()
    return render(
        request, "workspace/inbox.html", {"inbox": work_for(request.user, today), "today": today}
    )


@require_safe
def inbox_count(request):
    """The header badge fills itself from here, so that other pages do not pay for the inbox."""
    work = work_for(request.user, timezone.localdate())
    return JsonResponse({"count": len(work), "late": work.late})
