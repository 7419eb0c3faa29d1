"""The first administrator, made by `createsuperuser --noinput` from DJANGO_SUPERUSER_* variables
as docs/deploy.md says, is the portal's administrator, not an agency officer without an agency."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.models import User


@pytest.mark.django_db
def test_createsuperuser_noinput_makes_the_portal_administrator(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "quantri")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "quantri@example.gov.vn")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Mat-khau-rat-dai-2026")
    call_command("createsuperuser", interactive=False, verbosity=0)

    user = User.objects.get(username="quantri")
    assert user.is_superuser and user.is_staff
    assert user.role == User.Role.ADMIN
    assert client.login(username="quantri", password="Mat-khau-rat-dai-2026")
    # the portal's administrator pages open, and the people list shows the role as such
    assert client.get(reverse("organisation:agency_new")).status_code == 200
    assert client.get(reverse("people:list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_earlier_superuser_without_a_role_becomes_the_administrator():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("accounts", "0002_name_sort_key")])
        old = MigrationExecutor(connection).loader.project_state(
            [("accounts", "0002_name_sort_key")], at_end=True
        )
        OldUser = old.apps.get_model("accounts", "User")
        OldUser.objects.create(username="cu", is_superuser=True, is_staff=True, role="officer")
        OldUser.objects.create(username="canbo", role="officer")
        MigrationExecutor(connection).migrate([("accounts", "0003_superusers_are_administrators")])
        assert User.objects.get(username="cu").role == User.Role.ADMIN
        assert User.objects.get(username="canbo").role == User.Role.OFFICER
    finally:
        MigrationExecutor(connection).migrate(latest)
