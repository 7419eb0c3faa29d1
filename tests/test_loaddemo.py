import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accounts.models import User
from tasks.models import Task


@override_settings(DEBUG=True, DEMO_PASSWORD="s3cret-demo")
def test_loaddemo_loads_the_plan_and_one_user_per_role(db):
    call_command("loaddemo")
    call_command("loaddemo")  # idempotent
    assert Task.objects.count() == 26
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["admin"] == User.Role.ADMIN
    assert roles["sct"] == User.Role.REVIEWER
    assert roles["lanhdao"] == User.Role.LEADERSHIP
    assert roles["stc.cv"] == User.Role.OFFICER and roles["stc.ld"] == User.Role.HEAD
    # agencies merged away in 2025 get no users; their successors do
    assert "skhdt.cv" not in roles and "snv.ld" in roles
    assert User.objects.get(username="sct").check_password("s3cret-demo")


@override_settings(DEBUG=False)
def test_loaddemo_is_refused_when_debug_is_off(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("loaddemo")
    assert not User.objects.exists()


@override_settings(DEBUG=False)
def test_loaddemo_force_overrides(db):
    call_command("loaddemo", "--force")
    assert User.objects.filter(username="admin").exists()
