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


@override_settings(DEBUG=True, DEMO_PASSWORD="s3cret-demo")
def test_loaddemo_national_adds_the_province_the_ministry_and_the_programme(db, client):
    from django.urls import reverse

    from plans.models import Agency, Plan

    call_command("loaddemo", "--national")
    call_command("loaddemo", "--national")  # idempotent
    national = Plan.objects.get(code="ctqg-124-nq-cp")
    seed = Plan.objects.exclude(pk=national.pk).get()
    assert seed.province.name == "Đắk Lắk" and national.province is None
    assert seed.higher_plan == national
    assert national.tasks.count() == 4
    assert Task.objects.filter(plan=seed, higher_task__plan=national).count() == 9
    assert Agency.objects.get(abbreviation="BCT").kind == Agency.Kind.MINISTRY
    assert (
        not Agency.objects.filter(province__isnull=True)
        .exclude(abbreviation__in=["BCT", "UBNDCT"])
        .exists()
    )
    # the province's leadership sees its province; the ministry's reads it too
    for username in ("lanhdao", "bocongthuong.lanhdao"):
        client.force_login(User.objects.get(username=username))
        body = client.get(reverse("plans:list")).content.decode()
        assert seed.short_title[:40] in body, username
