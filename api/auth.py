"""Token authentication per system: `Authorization: Bearer <token>`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from provinces import scope as province_scope

from .models import ApiClient, hash_token

KEYWORD = "Bearer"
# last_used_at is written at most this often per client, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class Scope:
    """What one token may read, loaded once per request (three queries).

    Its provinces (none: every province) become the request's province scope
    (provinces.scope), so every queryset the API builds is cut by the models' ScopedManager and
    the database session by row-level security; the plan and agency limits apply on top.
    """

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.province_ids = frozenset(client.provinces.values_list("pk", flat=True))
        self.provinces = province_scope.scope_for_provinces(self.province_ids)
        # Scoped from here on: a plan or agency of another province is not among its own.
        province_scope.activate(self.provinces)
        self.plan_ids = set(client.plans.values_list("pk", flat=True))
        self.agency_ids = set(client.agencies.values_list("pk", flat=True))


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None  # no token: the permission check answers 401
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                _("Malformed Authorization header: send 'Bearer <token>'.")
            )
        try:
            token = words[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid or inactive API token.")) from exc
        client = ApiClient.objects.filter(token_hash=hash_token(token), is_active=True).first()
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid or inactive API token."))
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at >= LAST_USED_RESOLUTION:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        # Scope() activates the province scope; api.views.ScopedViewSet.dispatch lifts it.
        return AnonymousUser(), Scope(client)

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'  # makes a missing token a 401, not a 403


class HasApiToken(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, Scope)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued per system (manage.py api_client_create NAME).",
        }
