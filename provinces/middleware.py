from __future__ import annotations

from . import scope
from .receivers import SESSION_KEY


class ProvinceScopeMiddleware:
    """Scopes every request to the signed-in user's provinces (scope.scope_for); after
    AuthenticationMiddleware. The scope is lifted when the response is ready, so a reused
    database connection never carries one request's scope into the next."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        further = None
        if user.is_authenticated and not user.is_superuser:
            further = request.session.get(SESSION_KEY)
            if further is None:  # signed in before this was kept
                further = request.session[SESSION_KEY] = scope.further_province_ids(user)
        user_scope = scope.scope_for(user, further)
        if not user_scope.is_restricted:
            return self.get_response(request)
        scope.activate(user_scope)
        request.province_scope = user_scope
        try:
            return self.get_response(request)
        finally:
            scope.deactivate()
