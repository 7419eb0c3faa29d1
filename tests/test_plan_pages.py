"""The plan pages: every signed-in role reads them; anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

ROLES = ["officer", "head", "other_officer", "reviewer", "leader", "admin_user"]


@pytest.fixture
def urls(seed_plan):
    return [reverse("plans:list"), reverse("plans:detail", args=[seed_plan.pk])]


def test_anonymous_is_sent_to_sign_in(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_plan(client, request, urls, role):
    client.force_login(request.getfixturevalue(role))
    for url in urls:
        assert client.get(url).status_code == 200


def test_plan_page_shows_header_facts_targets_and_tasks_by_lead(client, officer, seed_plan):
    client.force_login(officer)
    page = client.get(reverse("plans:detail", args=[seed_plan.pk])).content.decode()
    assert "Trần Hữu Thế" in page
    assert "Sở Công Thương" in page
    assert "Tỷ trọng GRDP công nghiệp" in page
    assert "Theo tiến độ thực hiện của Quy hoạch tỉnh Phú Yên" in page
    assert page.count('id="task-IV.') == 26


def test_unknown_plan_is_404(client, officer, seed_plan):
    client.force_login(officer)
    assert client.get(reverse("plans:detail", args=[seed_plan.pk + 999])).status_code == 404


@pytest.mark.parametrize("role,status", [("officer", 302), ("reviewer", 302), ("admin_user", 200)])
def test_admin_site_is_for_administrators_only(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:index")).status_code == status
