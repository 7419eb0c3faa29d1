"""Every named URL of the project against every role, as one table built from the URLconf.

The URL names come from `django.urls.get_resolver()`, walked recursively, so a URL added without
a row here makes `test_every_named_url_has_a_row` fail and name it. Roles: anonymous; an officer
and the head of agency A (Sở Tài chính); an officer of agency B (Sở KH&CN, which coordinates one of
A's tasks); the focal-point reviewer (Sở Công Thương); leadership; the administrator.

Expected statuses: 200 shown; 302 for anonymous is the redirect to sign in; 403 refused; 404 for
another agency's report (it answers as if the report did not exist); POST-only views are sent a
POST (with a CSRF-checking client) and answer 405 to a GET.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from plans.models import Target

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

ROLES = ["anonymous", "officer", "other_officer", "head", "reviewer", "leader", "admin_user"]

# Named URLs left out of the table, each with the reason.
EXCLUDED_PREFIXES = {
    "admin:": "Django's admin: staff status and model permissions, Django's own tested code; "
    "admin:index is in the table to prove non-staff users are kept out.",
}


def row(*statuses: int) -> dict[str, int]:
    """Expected statuses in ROLES order."""
    return dict(zip(ROLES, statuses, strict=True))


EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(302, 200, 200, 200, 200, 200, 200)
FOLLOWERS = row(302, 403, 403, 403, 200, 200, 200)  # focal point, leadership, admin
OWN_AGENCY = row(302, 200, 404, 200, 200, 200, 200)  # agency A, and those who follow rounds
ORGANISATION_READERS = row(302, 403, 403, 403, 200, 403, 200)  # the focal point reads the map
ADMIN_ONLY = row(302, 403, 403, 403, 403, 403, 200)
FOCAL_STEP = row(302, 403, 404, 403, 302, 403, 302)  # focal point's POST decisions
FOCAL_PAGE = row(302, 403, 403, 403, 200, 403, 200)  # the focal point's (and admin's) pages
FOCAL_POST = row(302, 403, 403, 403, 302, 403, 302)  # … and their POST steps on a round
NO_TOKEN = row(401, 401, 401, 401, 401, 401, 401)

# url name: (method, expected status per role)
TABLE: dict[str, tuple[str, dict[str, int]]] = {
    # --- the project's own pages
    "home": ("get", row(302, 200, 200, 200, 200, 302, 200)),  # leadership: to the dashboard
    "plans:list": ("get", SIGNED_IN),
    "search:search": ("get", SIGNED_IN),
    "plans:detail": ("get", SIGNED_IN),
    "reports:rounds": ("get", FOLLOWERS),
    "reports:round_open": ("get", row(302, 403, 403, 403, 200, 403, 200)),
    "reports:round": ("get", FOLLOWERS),
    "reports:round_export": ("get", FOLLOWERS),
    "reports:round_edit": ("get", FOCAL_PAGE),
    "reports:round_close": ("post", FOCAL_POST),
    "reports:round_reopen": ("post", FOCAL_POST),
    "reports:extend": ("get", row(302, 403, 404, 403, 200, 403, 200)),
    "reports:plan_settings": ("get", FOCAL_PAGE),
    "reports:plan_cascade": ("get", FOLLOWERS),  # the higher plan's owner and leadership
    "reminders:remind_now": ("post", FOCAL_POST),
    "reminders:remind_board": ("post", FOCAL_POST),
    "reports:contribution": ("post", row(302, 403, 302, 403, 403, 403, 403)),
    "reports:submission": ("get", OWN_AGENCY),
    "reports:document": ("get", OWN_AGENCY),
    "reports:print_pdf": ("get", OWN_AGENCY),
    "reports:print_docx": ("get", OWN_AGENCY),
    "reports:review": ("get", row(302, 403, 404, 403, 200, 200, 200)),
    "reports:accept": ("post", FOCAL_STEP),
    "reports:return": ("post", FOCAL_STEP),
    "reports:reopen": ("post", FOCAL_STEP),
    "reports:history": ("get", OWN_AGENCY),
    "reports:version": ("get", OWN_AGENCY),
    "notifications:inbox": ("get", SIGNED_IN),
    "notifications:inbox_read_all": ("post", row(302, 302, 302, 302, 302, 302, 302)),
    "notifications:notification_open": ("post", row(302, 302, 404, 404, 404, 404, 404)),
    "reports:evidence": ("get", OWN_AGENCY),
    "reports:evidence_delete": ("post", row(302, 302, 404, 302, 403, 403, 403)),
    "dashboard:index": ("get", FOLLOWERS),
    "dashboard:tasks": ("get", FOLLOWERS),
    "dashboard:target": ("get", FOLLOWERS),
    # the ministry's dashboard and its national report: those who read every province (the
    # seed's agencies and the leader belong to no province; tests/test_national_*.py refuse a
    # province's leadership and reviewers)
    "dashboard:national": ("get", FOLLOWERS),
    "annual:national_report": ("get", FOLLOWERS),
    "annual:list": ("get", FOLLOWERS),
    "annual:report": ("get", FOLLOWERS),
    "annual:generate": ("post", row(302, 403, 403, 403, 302, 403, 302)),
    # the seed plan implements no higher plan: the focal point is sent back with the reason
    "annual:send_up": ("post", row(302, 403, 403, 403, 302, 403, 302)),
    # signing needs the certificate's password: without it the signer is sent back with a message
    "annual:snapshot_sign": ("post", row(302, 403, 403, 403, 302, 403, 302)),
    "annual:snapshot_status": ("get", FOLLOWERS),
    "annual:snapshot_download": ("get", FOLLOWERS),
    # --- people (people/): the administrator, and a head for their own agency's officers; the
    # user in the URL is agency A's officer. A head is refused editing and reactivating; POSTs
    # that are allowed (or refused with a message, e.g. re-sending to someone with a password)
    # go back to the list
    "people:list": ("get", row(302, 403, 403, 200, 403, 403, 200)),
    "people:invite": ("get", row(302, 403, 403, 200, 403, 403, 200)),
    "people:import": ("get", row(302, 403, 403, 200, 403, 403, 200)),
    "people:import_confirm": ("post", row(302, 403, 403, 302, 403, 403, 302)),
    "people:edit": ("get", row(302, 403, 403, 403, 403, 403, 200)),
    "people:deactivate": ("post", row(302, 403, 403, 302, 403, 403, 302)),
    "people:reactivate": ("post", row(302, 403, 403, 403, 403, 403, 302)),
    "people:resend": ("post", row(302, 403, 403, 302, 403, 403, 302)),
    "people:accept": ("get", EVERYONE),  # a made-up link: "not valid" page
    # --- bringing plans in and editing them: the administrator and the focal point only
    "plans:import_new": ("get", row(302, 403, 403, 403, 200, 403, 200)),
    "plans:import_review": ("get", row(302, 403, 403, 403, 200, 403, 200)),
    "plans:import_add": ("get", row(302, 403, 403, 403, 200, 403, 200)),
    "plans:import_remove": ("get", row(302, 403, 403, 403, 200, 403, 200)),
    "plans:import_publish": ("post", row(302, 403, 403, 403, 302, 403, 302)),
    "plans:import_discard": ("post", row(302, 403, 403, 403, 302, 403, 302)),
    "plans:edit": ("post", row(302, 403, 403, 403, 302, 403, 302)),
    "organisation:agencies": ("get", ORGANISATION_READERS),
    "organisation:agency": ("get", ORGANISATION_READERS),
    "organisation:agency_new": ("get", ADMIN_ONLY),
    "organisation:agency_edit": ("get", ADMIN_ONLY),
    "organisation:events": ("get", ORGANISATION_READERS),
    "organisation:event": ("get", ORGANISATION_READERS),
    "organisation:event_new": ("get", ADMIN_ONLY),
    # --- sign-in, password and language (django.contrib.auth.urls, django.conf.urls.i18n)
    "login": ("get", EVERYONE),
    "logout": ("post", row(302, 302, 302, 302, 302, 302, 302)),
    "password_change": ("get", SIGNED_IN),
    "password_change_done": ("get", SIGNED_IN),
    "password_reset": ("get", EVERYONE),
    "password_reset_done": ("get", EVERYONE),
    "password_reset_confirm": ("get", EVERYONE),  # a made-up link: "invalid link" page
    "password_reset_complete": ("get", EVERYONE),
    "set_language": ("post", row(302, 302, 302, 302, 302, 302, 302)),
    # --- single sign-on (mozilla_django_oidc.urls): absent while SSO is not configured, as in
    # these tests; tests/test_oidc_*.py cover them configured
    "oidc_authentication_init": ("get", row(404, 404, 404, 404, 404, 404, 404)),
    "oidc_authentication_callback": ("get", row(404, 404, 404, 404, 404, 404, 404)),
    "oidc_logout": ("post", row(302, 302, 302, 302, 302, 302, 302)),
    # --- operations (operations/): the load balancer's probes, open to anyone, no session
    "operations:health": ("get", EVERYONE),
    "operations:live": ("get", EVERYONE),
    # --- the read API (api/): a token per system, never a session, so every role gets 401 (the
    # token cases are in tests/test_api.py); its schema and documentation page are public
    **{
        f"api:{kind}-{view}": ("get", NO_TOKEN)
        for kind in (
            "plan",
            "section",
            "target",
            "task",
            "round",
            "submission",
            "agency",
            "province",
        )
        for view in ("list", "detail")
    },
    "api:schema": ("get", EVERYONE),
    "api:docs": ("get", EVERYONE),
    # --- the admin's front door: staff only (non-staff are sent to the admin's sign-in)
    "admin:index": ("get", row(302, 302, 302, 302, 302, 302, 200)),
}

# 302s that are not about signing in: they land where they always land.
PLAIN_REDIRECTS = {
    "logout": "signing out always lands on the sign-in page",
    "set_language": "goes back to the page the switcher was on",
    "oidc_logout": "signing out always lands on the sign-in page (or the provider's sign-out)",
}


def named_urls() -> dict[str, URLPattern]:
    """Every named URL pattern in the URLconf, by its namespaced name."""
    found: dict[str, URLPattern] = {}

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, pattern)

    walk(get_resolver(), None)
    return found


def checked_names() -> set[str]:
    return {
        name
        for name in named_urls()
        if name in TABLE or not any(name.startswith(prefix) for prefix in EXCLUDED_PREFIXES)
    }


def test_every_named_url_has_a_row():
    missing = sorted(checked_names() - set(TABLE))
    assert missing == [], f"named URLs with no row in the permission table: {missing}"


def test_every_row_is_a_named_url():
    stale = sorted(set(TABLE) - set(named_urls()))
    assert stale == [], f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def plan_import(seed_plan, reviewer):
    """The focal point's draft of the seed plan (the plan editor's draft)."""
    from planning.services import import_from_plan

    return import_from_plan(user=reviewer, plan=seed_plan)


@pytest.fixture
def world(url_objects, seed_plan, officer, plan_import):
    """name → URL, with the URL's arguments taken from `url_objects` (all of agency A)."""
    o = url_objects
    round_2026, submission, task, record = o.round, o.submission, o.task, o.record
    note, evidence, snapshot = o.note, o.evidence, o.snapshot
    kwargs = {
        "plans:detail": {"plan_id": seed_plan.pk},
        "plans:edit": {"plan_id": seed_plan.pk},
        "plans:import_review": {"pk": plan_import.pk},
        "plans:import_add": {"pk": plan_import.pk, "kind": "task"},
        "plans:import_remove": {"pk": plan_import.pk, "kind": "task", "key": "IV.1.1"},
        "plans:import_publish": {"pk": plan_import.pk},
        "plans:import_discard": {"pk": plan_import.pk},
        "reports:round": {"pk": round_2026.pk},
        "reports:round_export": {"pk": round_2026.pk},
        "reports:round_edit": {"pk": round_2026.pk},
        "reports:round_close": {"pk": round_2026.pk},
        "reports:round_reopen": {"pk": round_2026.pk},
        "reports:plan_settings": {"plan_pk": seed_plan.pk},
        "reports:plan_cascade": {"plan_pk": seed_plan.pk},
        "reminders:remind_now": {"pk": round_2026.pk},
        "reminders:remind_board": {"pk": round_2026.pk},
        "reports:contribution": {"round_pk": round_2026.pk, "task_pk": task.pk},
        "reports:version": {"pk": submission.pk, "history_id": record.history_id},
        "notifications:notification_open": {"pk": note.pk},
        "reports:evidence": {"pk": evidence.pk},
        "reports:evidence_delete": {"pk": evidence.pk},
        "dashboard:target": {"pk": Target.objects.filter(plan=seed_plan).first().pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "annual:report": {"pk": round_2026.pk},
        "annual:national_report": {"pk": seed_plan.pk, "fmt": "xlsx"},  # of no province
        "annual:generate": {"pk": round_2026.pk},
        "annual:send_up": {"pk": round_2026.pk},
        "annual:snapshot_status": {"pk": snapshot.pk},
        "annual:snapshot_download": {"pk": snapshot.pk},
        "annual:snapshot_sign": {"pk": snapshot.pk},
        "people:edit": {"pk": officer.pk},
        "people:deactivate": {"pk": officer.pk},
        "people:reactivate": {"pk": officer.pk},
        "people:resend": {"pk": officer.pk},
        "people:accept": {"uidb64": "MQ", "token": "made-up-token"},
        "organisation:agency": {"pk": round_2026.plan.focal_agency_id},
        "organisation:agency_edit": {"pk": round_2026.plan.focal_agency_id},
        "organisation:event": {"pk": o.reorganisation.pk},
        "api:plan-detail": {"pk": seed_plan.pk},
        "api:section-detail": {"pk": task.section_id},
        "api:target-detail": {"pk": Target.objects.filter(plan=seed_plan).first().pk},
        "api:task-detail": {"pk": task.pk},
        "api:round-detail": {"pk": round_2026.pk},
        "api:submission-detail": {"pk": submission.pk},
        "api:agency-detail": {"pk": round_2026.plan.focal_agency_id},
        "api:province-detail": {"pk": 1},  # a token is asked for before the row is looked up
    }
    patterns = named_urls()

    def url(name: str) -> str:
        params = set(getattr(patterns[name].pattern, "converters", {}))
        if name in kwargs:
            return reverse(name, kwargs=kwargs[name])
        if params == {"pk"} and name.startswith("reports:"):
            return reverse(name, kwargs={"pk": submission.pk})  # submissions/<pk>/…
        return reverse(name)

    return url


def test_every_url_can_be_built(world):
    for name in sorted(checked_names() & set(TABLE)):
        assert world(name).startswith("/"), name


POST_DATA = {
    "text": "Ý kiến phối hợp",
    "comment": "Bổ sung số liệu",
    "reason": "Mở lại để sửa",
    "language": "vi",
}


def _client(request, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def _post(client: Client, url: str):
    """POST as a browser would: with the CSRF token the site hands out."""
    client.get(reverse("login"))  # sets the CSRF cookie for everyone, signed in or not
    token = client.cookies["csrftoken"].value
    return client.post(url, POST_DATA, HTTP_X_CSRFTOKEN=token)


def _outcome(request, world, name: str, method: str, role: str) -> int | str:
    client = _client(request, role)
    url = world(name)
    response = _post(client, url) if method == "post" else client.get(url)
    if response.status_code != 302 or name in PLAIN_REDIRECTS:
        return response.status_code
    to_sign_in = response.url.startswith((reverse("login"), reverse("admin:login")))
    denied_to_admin = name == "admin:index" and role != "admin_user"
    if to_sign_in != (role == "anonymous" or denied_to_admin):
        return f"302 to {response.url}"
    return 302


@pytest.mark.parametrize("name", list(TABLE))
def test_permissions(request, world, name):
    """One row of the matrix: every role's outcome, compared as a whole."""
    method, expected = TABLE[name]
    outcome = {}
    for role in ROLES:
        # Each role meets the same world: what one role's POST changed is rolled back.
        with transaction.atomic():
            outcome[role] = _outcome(request, world, name, method, role)
            transaction.set_rollback(True)
    assert outcome == expected


POST_ONLY = [name for name, (method, _s) in TABLE.items() if method == "post"]
# A GET to the language switcher just goes back without changing anything (Django's set_language).
GET_HARMLESS = {"set_language"}


@pytest.mark.parametrize("name", [name for name in POST_ONLY if name not in GET_HARMLESS])
def test_post_only_views_refuse_a_get(request, world, name):
    client = _client(request, "admin_user")
    assert client.get(world(name)).status_code == 405


@pytest.mark.parametrize("name", POST_ONLY)
def test_a_post_without_the_csrf_token_is_refused(request, world, name):
    client = _client(request, "officer")
    assert client.post(world(name), POST_DATA).status_code == 403
