"""Every URL of the permission matrix, tried by the users of another province.

The seed plan and everything the matrix's URLs point at (tests/test_permission_matrix.py's
`world`) belong to province A (Đắk Lắk). Province B (Gia Lai) has its own focal point, plan and
people: an officer, a head, a reviewer, leadership and a province administrator (not a
superuser). None of them may open, change or even see anything of A's: a URL naming one of A's
rows answers 403 or 404; a page listing rows (plans, rounds, agencies, people, search, the
dashboard) lists none of A's. The ministry (a national agency) reads A's pages and changes
nothing of A's.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from organisation.models import Reorganisation
from planning.models import PlanImport
from plans.models import Agency, Plan
from provinces.models import Province
from tests import test_permission_matrix as matrix
from tests.factories import UserFactory
from tests.test_permission_matrix import POST_DATA, TABLE, named_urls

# The matrix's fixtures: `world` builds its URLs, all naming rows of province A.
plan_import = matrix.plan_import
world = matrix.world

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

B_ROLES = ["b_officer", "b_head", "b_reviewer", "b_leader", "b_admin"]

# Pages anyone may open (sign-in, password, language, probes, the API's public schema) or that
# only ever show the visitor's own things; they name no row of A's.
OPEN = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "oidc_logout",
    "operations:health",
    "operations:live",
    "api:schema",
    "api:docs",
    "admin:index",
    "people:accept",
    "notifications:inbox_read_all",
}


@pytest.fixture
def province_a(world):
    """The seed plan, its agencies, its drafts and reorganisations become province A's."""
    province = Province.objects.create(name="Đắk Lắk", code="dak-lak")
    for model in (Agency, Plan, PlanImport, Reorganisation):
        model.objects.update(province=province)
    return province


@pytest.fixture
def province_b(province_a):
    province = Province.objects.create(name="Gia Lai", code="gia-lai")
    sct = Agency.objects.create(
        name="Sở Công Thương tỉnh Gia Lai", abbreviation="SCT", province=province
    )
    stc = Agency.objects.create(
        name="Sở Tài chính tỉnh Gia Lai", abbreviation="STC", province=province
    )
    ubnd = Agency.objects.create(
        name="Ủy ban nhân dân tỉnh Gia Lai",
        abbreviation="UBND",
        kind=Agency.Kind.PROVINCE,
        province=province,
    )
    Plan.objects.create(
        code="gia-lai-cong-nghiep",
        title="Kế hoạch phát triển thương mại tỉnh Gia Lai",
        issuer="UBND tỉnh Gia Lai",
        issuing_agency=ubnd,
        focal_agency=sct,
        province=province,
        start_year=2025,
        horizon_year=2030,
    )
    return province, sct, stc, ubnd


@pytest.fixture
def b_users(province_b):
    province, sct, stc, ubnd = province_b
    admin = UserFactory(username="gialai.quantri", role=User.Role.ADMIN, is_staff=True)
    admin.provinces.add(province)
    return {
        "b_officer": UserFactory(username="gialai.canbo", officer=True, agency=stc),
        "b_head": UserFactory(username="gialai.truongphong", head=True, agency=stc),
        "b_reviewer": UserFactory(username="gialai.chuyenvien", reviewer=True, agency=sct),
        "b_leader": UserFactory(username="gialai.lanhdao", leadership=True, agency=ubnd),
        "b_admin": admin,
    }


@pytest.fixture
def ministry_reviewer(province_a):
    ministry = Agency.objects.create(
        name="Bộ Công Thương", abbreviation="BCT", kind=Agency.Kind.MINISTRY
    )
    return UserFactory(username="bct", reviewer=True, agency=ministry)


def a_markers(seed_plan, officer) -> list[str]:
    """Text that only a page showing A's rows contains."""
    return [seed_plan.title[:50], "Sở Khoa học và Công nghệ", officer.username]


def _names_a_row(name: str) -> bool:
    pattern = named_urls()[name].pattern
    return bool(getattr(pattern, "converters", {}))


def _request(client: Client, method: str, url: str):
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    if method == "post":
        return client.post(url, POST_DATA, HTTP_X_CSRFTOKEN=token)
    return client.get(url)


CHECKED = sorted(name for name in TABLE if name not in OPEN and not name.startswith("api:"))


@pytest.mark.parametrize("name", CHECKED)
def test_another_province_cannot_reach_a_page_of_province_a(
    name,
    world,
    b_users,
    seed_plan,
    officer,
    province_a,
):
    method, _expected = TABLE[name]
    url = world(name)
    outcomes = {}
    for role, user in b_users.items():
        with transaction.atomic():
            client = Client(enforce_csrf_checks=True)
            client.force_login(user)
            response = _request(client, method, url)
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            if _names_a_row(name):
                outcomes[role] = (
                    response.status_code
                    if response.status_code in (403, 404)
                    else (f"{response.status_code} {getattr(response, 'url', '')}")
                )
            else:
                leaked = [m for m in a_markers(seed_plan, officer) if m in body]
                outcomes[role] = f"shows {leaked}" if leaked else "nothing of A"
                if response.status_code not in (200, 302, 403):
                    outcomes[role] = response.status_code
            transaction.set_rollback(True)
    if _names_a_row(name):
        assert all(v in (403, 404) for v in outcomes.values()), outcomes
    else:
        assert set(outcomes.values()) == {"nothing of A"}, outcomes


def test_the_markers_are_shown_to_province_a_itself(world, seed_plan, officer, province_a):
    """The leak check above can fail: A's own officer sees the markers on the plan list."""
    client = Client()
    client.force_login(officer)
    body = client.get(reverse("plans:list")).content.decode()
    assert seed_plan.title[:50] in body


def test_the_ministry_reads_a_province_and_changes_nothing_of_it(
    world,
    ministry_reviewer,
    seed_plan,
    province_a,
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ministry_reviewer)
    assert _request(client, "get", world("plans:detail")).status_code == 200
    assert seed_plan.title[:50] in _request(client, "get", reverse("plans:list")).content.decode()
    for name in ("plans:edit", "reports:round_close", "reports:accept"):
        assert _request(client, "post", world(name)).status_code in (403, 404), name
    seed_plan.refresh_from_db()
    assert seed_plan.province == province_a
