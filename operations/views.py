from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import run_checks


@never_cache
@require_safe
@transaction.non_atomic_requests
def health(request):
    """For the load balancer: 200 when every required service answers, 503 otherwise."""
    healthy, checks = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )


@never_cache
@require_safe
@transaction.non_atomic_requests
def live(request):
    """The process answers at all: touches no database, Redis or disk."""
    return JsonResponse({"status": "ok"})
