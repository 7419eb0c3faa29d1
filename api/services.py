from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from plans.models import Agency, Plan
from provinces.models import Province

from .models import ApiClient, hash_token


def new_token() -> str:
    return secrets.token_urlsafe(32)


def api_client_token_set(*, client: ApiClient) -> str:
    """Give the client a fresh token (the old one stops working) and return it, once."""
    token = new_token()
    client.token_hash = hash_token(token)
    client.token_prefix = token[:8]
    return token


@transaction.atomic
def api_client_create(
    *,
    name: str,
    plans: Iterable[Plan],
    agencies: Iterable[Agency] = (),
    provinces: Iterable[Province] = (),
    created_by: User | None = None,
) -> tuple[ApiClient, str]:
    """Create a client and return it with its token: the only time the token is seen."""
    client = ApiClient(name=name, created_by=created_by)
    token = api_client_token_set(client=client)
    client.full_clean()
    client.save()
    client.plans.set(plans)
    client.agencies.set(agencies)
    client.provinces.set(provinces)
    return client, token
