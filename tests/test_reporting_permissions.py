"""Who sees what: every reporting URL against every role, as one table.

Roles: anonymous; an officer and the head of agency A (Sở Tài chính); an officer of agency B
(Sở KH&CN, which coordinates one of A's tasks); the focal-point reviewer (Sở Công Thương);
leadership; the administrator.
"""

import pytest
from django.urls import reverse

from annual import urls as annual_urls
from dashboard import urls as dashboard_urls
from notifications import urls as notification_urls
from reports import urls as reporting_urls
from reports.models import Evidence, Submission
from tests import test_permission_matrix as permission_matrix
from tests.conftest import submission_post_data
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("before_due", "media_root")


ROLES = ["anonymous", "officer", "other_officer", "head", "reviewer", "leader", "admin_user"]


def row(*statuses: int) -> dict[str, int]:
    """Expected statuses in ROLES order."""
    return dict(zip(ROLES, statuses, strict=True))


# url name: (method, expected status per role). 302 for anonymous is the sign-in redirect.
TABLE = {
    "home": ("get", row(302, 200, 200, 200, 200, 302, 200)),
    "reports:rounds": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "reports:round_open": ("get", row(302, 403, 403, 403, 200, 403, 200)),
    "reports:round": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "reports:round_export": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "reports:contribution": ("post", row(302, 403, 302, 403, 403, 403, 403)),
    "reports:submission": ("get", row(302, 200, 404, 200, 200, 200, 200)),
    "reports:document": ("get", row(302, 200, 404, 200, 200, 200, 200)),
    "reports:review": ("get", row(302, 403, 404, 403, 200, 200, 200)),
    "reports:accept": ("post", row(302, 403, 404, 403, 302, 403, 302)),
    "reports:return": ("post", row(302, 403, 404, 403, 302, 403, 302)),
    "reports:reopen": ("post", row(302, 403, 404, 403, 302, 403, 302)),
    "reports:history": ("get", row(302, 200, 404, 200, 200, 200, 200)),
    "reports:version": ("get", row(302, 200, 404, 200, 200, 200, 200)),
    "notifications:inbox": ("get", row(302, 200, 200, 200, 200, 200, 200)),
    "notifications:inbox_read_all": ("post", row(302, 302, 302, 302, 302, 302, 302)),
    "notifications:notification_open": ("post", row(302, 302, 404, 404, 404, 404, 404)),
    "reports:evidence": ("get", row(302, 200, 404, 200, 200, 200, 200)),
    "reports:evidence_delete": ("post", row(302, 302, 404, 302, 403, 403, 403)),
    "dashboard:index": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "dashboard:tasks": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "dashboard:target": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "annual:list": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "annual:report": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "annual:generate": ("post", row(302, 403, 403, 403, 302, 403, 302)),
    "annual:snapshot_status": ("get", row(302, 403, 403, 403, 200, 200, 200)),
    "annual:snapshot_download": ("get", row(302, 403, 403, 403, 200, 200, 200)),
}

CASES = [
    pytest.param(name, method, role, status, id=f"{name.split(':')[-1]}-{role}")
    for name, (method, statuses) in TABLE.items()
    for role, status in statuses.items()
]


@pytest.fixture
def world(url_objects, seed_plan):
    """name → URL, with the URL's arguments taken from `url_objects` (all of agency A)."""
    o = url_objects
    round_2026, submission, task, record = o.round, o.submission, o.task, o.record
    note, snapshot = o.note, o.snapshot
    args = {
        "home": [],
        "reports:rounds": [],
        "reports:round_open": [],
        "reports:round": [round_2026.pk],
        "reports:round_export": [round_2026.pk],
        "reports:contribution": [round_2026.pk, task.pk],
        "reports:version": [submission.pk, record.history_id],
        "notifications:inbox": [],
        "notifications:inbox_read_all": [],
        "notifications:notification_open": [note.pk],
        "reports:evidence": [Evidence.objects.get().pk],
        "reports:evidence_delete": [Evidence.objects.get().pk],
        "dashboard:index": [],
        "dashboard:tasks": [],
        "dashboard:target": [seed_plan.targets.get(code="CT1").pk],
        "annual:list": [],
        "annual:report": [round_2026.pk],
        "annual:generate": [round_2026.pk],
        "annual:snapshot_status": [snapshot.pk],
        "annual:snapshot_download": [snapshot.pk],
    }
    return lambda name: reverse(name, args=args.get(name, [submission.pk]))


@pytest.mark.parametrize("name,method,role,status", CASES)
def test_permissions(client, request, world, name, method, role, status):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = world(name)
    data = {"text": "Ý kiến phối hợp", "comment": "Bổ sung", "reason": "Mở lại"}
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == status
    if status == 302:
        signs_in = response.url.startswith(reverse("login"))
        assert signs_in == (role == "anonymous"), response.url


def test_the_table_covers_every_reporting_url():
    """Every URL of the reporting apps has a row here, or in the whole-site permission matrix
    (tests/test_permission_matrix.py) for the pages added since this table was written."""
    names = {
        f"{urls.app_name}:{pattern.name}"
        for urls in (reporting_urls, notification_urls, dashboard_urls, annual_urls)
        for pattern in urls.urlpatterns
    }
    assert names - set(TABLE) - {"home"} <= set(permission_matrix.TABLE)
    assert set(TABLE) - {"home"} <= names


def test_a_denied_post_changes_nothing(client, world, leader, other_officer):
    submission = Submission.objects.get(agency__abbreviation="STC")
    client.force_login(other_officer)
    client.post(world("reports:evidence_delete"))
    client.force_login(leader)
    client.post(world("reports:evidence_delete"))
    client.post(world("reports:accept"))
    assert Evidence.objects.count() == 1
    assert Submission.objects.get(pk=submission.pk).state == Submission.State.DRAFT


@pytest.mark.parametrize(
    "name,status",
    [
        ("reports:rounds", 200),  # lists no round of a plan it is not focal point for
        ("reports:round_open", 403),
        ("reports:round", 403),
        ("reports:submission", 404),
        ("reports:evidence", 404),
    ],
)
def test_a_reviewer_of_another_agency_is_not_the_focal_point(
    client, world, other_agency, name, status
):
    client.force_login(UserFactory(username="skhcn.reviewer", reviewer=True, agency=other_agency))
    response = client.get(world(name))
    assert response.status_code == status
    if name == "reports:rounds":
        assert reverse("reports:round", args=[Submission.objects.first().round_id]) not in (
            response.content.decode()
        )


@pytest.mark.parametrize(
    "role,status",
    [("other_officer", 404), ("reviewer", 403), ("leader", 403), ("admin_user", 403)],
)
def test_only_the_agency_posts_its_submission_form(client, request, world, role, status):
    submission = Submission.objects.get(agency__abbreviation="STC")
    data = submission_post_data(submission, overall_assessment="Ghi đè của người ngoài")
    client.force_login(request.getfixturevalue(role))
    assert client.post(world("reports:submission"), data).status_code == status
    submission.refresh_from_db()
    assert submission.overall_assessment == "Bản nháp"
    assert submission.version == 1
