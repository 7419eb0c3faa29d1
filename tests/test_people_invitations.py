"""Inviting people, the invitation link end to end, re-sending, deactivation (people/)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from people import services
from people.models import AccountEvent, Invitation
from tests.conftest import page_text

PASSWORD = "Mật-khẩu-mới-2026"


def invite(actor, agency, email="binh@stc.gov.vn", role=User.Role.OFFICER, **extra):
    return services.user_invite(
        actor=actor,
        family_name=extra.get("family_name", "Nguyễn Văn"),
        given_name=extra.get("given_name", "Bình"),
        email=email,
        role=role,
        agency=agency,
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+/people/invitation/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def invited(admin_user, agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(admin_user, agency)
    return user


def test_an_invitation_creates_an_account_without_a_password_and_mails_the_link(
    invited, admin_user
):
    assert not invited.has_usable_password()
    assert invited.username == "binh@stc.gov.vn"
    [message] = mail.outbox
    assert message.to == ["binh@stc.gov.vn"]
    assert "Nguyễn Văn Bình" in message.body  # family name first in the mail too
    assert "binh@stc.gov.vn" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert Invitation.objects.get(user=invited).sent_at is not None
    assert AccountEvent.objects.get(user=invited).actor == admin_user


def test_the_link_sets_a_password_and_the_user_can_sign_in(invited):
    client = Client()
    url = path_of(link_in(mail.outbox[0]))
    page = client.get(url)
    assert page.status_code == 200 and "binh@stc.gov.vn" in page_text(page)
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("login")
    assert authenticate(username="binh@stc.gov.vn", password=PASSWORD) is not None
    assert Invitation.objects.get(user=invited).accepted_at is not None
    signed_in = Client()
    assert signed_in.login(username="binh@stc.gov.vn", password=PASSWORD)


def test_a_used_link_is_refused_with_a_clear_message(invited):
    client = Client()
    url = path_of(link_in(mail.outbox[0]))
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    page = client.get(url)
    assert "đã được sử dụng" in page_text(page)
    again = client.post(url, {"new_password1": "Khac-hẳn-2027", "new_password2": "Khac-hẳn-2027"})
    assert "đã được sử dụng" in page_text(again)
    assert authenticate(username="binh@stc.gov.vn", password=PASSWORD) is not None


def test_a_weak_password_is_refused_and_the_link_still_works(invited):
    client = Client()
    url = path_of(link_in(mail.outbox[0]))
    response = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    assert client.get(url).context["form"] is not None


def test_an_expired_link_says_so(invited, settings):
    url = path_of(link_in(mail.outbox[0]))
    later = timezone.localtime() + dt.timedelta(seconds=settings.PEOPLE_INVITATION_TIMEOUT + 60)
    with time_machine.travel(later, tick=False):
        page = Client().get(url)
    assert "đã hết hạn" in page_text(page)


def test_a_link_works_until_it_expires(invited, settings):
    url = path_of(link_in(mail.outbox[0]))
    later = timezone.localtime() + dt.timedelta(seconds=settings.PEOPLE_INVITATION_TIMEOUT - 60)
    with time_machine.travel(later, tick=False):
        page = Client().get(url)
    assert page.context["form"] is not None


def test_re_sending_sends_a_new_link_and_the_old_one_stops_working(
    invited, admin_user, django_capture_on_commit_callbacks
):
    first = path_of(link_in(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(actor=admin_user, user=invited)
    second = path_of(link_in(mail.outbox[1]))
    assert "không hợp lệ" in page_text(Client().get(first))
    response = Client().post(second, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302


def test_a_retried_delivery_sends_nothing(invited):
    from people.mail import invitation_deliver

    assert invitation_deliver(invitation_id=Invitation.objects.get().pk) is False
    assert len(mail.outbox) == 1


def test_a_made_up_link_is_refused(db):
    page = Client().get(reverse("people:accept", args=["MQ", "1-abc"]))
    assert "không hợp lệ" in page_text(page)


def test_a_password_reset_token_is_no_invitation(invited):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    token = default_token_generator.make_token(invited)
    page = Client().get(reverse("people:accept", args=[uid, token]))
    assert "không hợp lệ" in page_text(page)


# --- who may invite whom ------------------------------------------------------------------------


def test_a_head_invites_officers_of_their_own_agency(head, agency):
    user = invite(head, agency)
    assert (user.role, user.agency) == (User.Role.OFFICER, agency)


@pytest.mark.parametrize("role", ["head", "reviewer", "admin", "leadership"])
def test_a_head_cannot_invite_other_roles(head, agency, role):
    with pytest.raises(ValidationError) as error:
        invite(head, agency, role=role)
    assert "chỉ mời chuyên viên" in " ".join(error.value.messages)
    assert not User.objects.filter(email="binh@stc.gov.vn").exists()


def test_a_head_cannot_invite_into_another_agency(head, other_agency):
    with pytest.raises(ValidationError) as error:
        invite(head, other_agency)
    assert "cơ quan mình" in " ".join(error.value.messages)


def test_an_officer_cannot_invite(officer, agency):
    with pytest.raises(ValidationError):
        invite(officer, agency)


def test_a_duplicate_e_mail_is_refused_whatever_its_case(admin_user, agency, officer):
    officer.email = "Trung@STC.gov.vn"
    officer.save()
    with pytest.raises(ValidationError) as error:
        invite(admin_user, agency, email="trung@stc.gov.vn")
    assert "đã là của một người dùng" in " ".join(error.value.messages)


def test_a_merged_agency_gets_no_new_users(admin_user, seed_plan):
    from plans.models import Agency

    merged = Agency.objects.get(abbreviation="SKHĐT")
    with pytest.raises(ValidationError):
        invite(admin_user, merged)


def test_an_officer_needs_an_agency(admin_user):
    with pytest.raises(ValidationError) as error:
        invite(admin_user, None)
    assert "cần có cơ quan" in " ".join(error.value.messages)


# --- deactivation ------------------------------------------------------------------------------


def test_deactivation_keeps_the_user_and_records_who_and_when(head, officer):
    services.user_deactivate(actor=head, user=officer, note="Chuyển công tác")
    officer.refresh_from_db()
    assert officer.is_active is False
    event = AccountEvent.objects.get(user=officer, kind="deactivated")
    assert (event.actor, event.note) == (head, "Chuyển công tác")
    assert authenticate(username="stc.cv", password="pw") is None


def test_a_deactivated_users_session_ends(admin_user, officer):
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("home")).status_code == 200
    services.user_deactivate(actor=admin_user, user=officer)
    assert client.get(reverse("home")).status_code == 302


def test_only_the_administrator_reactivates(admin_user, head, officer):
    services.user_deactivate(actor=head, user=officer)
    with pytest.raises(PermissionDenied):
        services.user_reactivate(actor=head, user=officer)
    services.user_reactivate(actor=admin_user, user=officer)
    assert authenticate(username="stc.cv", password="pw") is not None


def test_a_head_cannot_deactivate_another_agencys_officer_nor_another_head(
    head, other_officer, agency
):
    from tests.factories import UserFactory

    second_head = UserFactory(username="stc.ld2", role=User.Role.HEAD, agency=agency)
    for target in (other_officer, second_head, head):
        with pytest.raises(PermissionDenied):
            services.user_deactivate(actor=head, user=target)


# --- the pages ---------------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_invite_page_invites(admin_user, agency, django_capture_on_commit_callbacks):
    data = {
        "last_name": "Trần Thị",
        "first_name": "An",
        "email": "an@stc.gov.vn",
        "role": "officer",
        "agency": agency.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(admin_user).post(reverse("people:invite"), data)
    assert response.status_code == 302
    assert str(User.objects.get(email="an@stc.gov.vn")) == "Trần Thị An"
    assert len(mail.outbox) == 1


def test_a_head_posting_another_agency_is_told_and_nothing_changes(head, other_agency):
    data = {
        "last_name": "Trần Thị",
        "first_name": "An",
        "email": "an@stc.gov.vn",
        "role": "officer",
        "agency": other_agency.pk,
    }
    response = signed_in(head).post(reverse("people:invite"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(email="an@stc.gov.vn").exists()


def test_a_head_sees_only_their_agency(head, officer, other_officer):
    page = signed_in(head).get(reverse("people:list"))
    usernames = {row["user"].username for row in page.context["rows"]}
    assert usernames == {"stc.cv", "stc.ld"}


@pytest.mark.parametrize("name", ["people:edit", "people:deactivate", "people:resend"])
def test_a_head_reaching_for_another_agencys_user_gets_a_404(head, other_officer, name):
    client = signed_in(head)
    url = reverse(name, args=[other_officer.pk])
    response = client.get(url) if name == "people:edit" else client.post(url)
    assert response.status_code == 404
    other_officer.refresh_from_db()
    assert other_officer.is_active


def test_the_list_filters_by_agency_role_status_and_search(
    admin_user, officer, head, other_officer
):
    services.user_deactivate(actor=admin_user, user=officer)
    client = signed_in(admin_user)

    def names(**query):
        page = client.get(reverse("people:list"), query)
        return {row["user"].username for row in page.context["rows"]}

    assert names(agency=officer.agency_id) == {"stc.cv", "stc.ld"}
    assert names(role="head") == {"stc.ld"}
    assert names(active="no") == {"stc.cv"}
    assert names(q="skhcn") == {"skhcn.cv"}
    page = client.get(reverse("people:list"), {"active": "no"})
    assert "Đã ngừng" in page_text(page) or "ngừng" in page_text(page)


def test_the_administrator_edits_a_name_and_the_change_is_recorded(admin_user, officer, agency):
    data = {
        "last_name": "Lê",
        "first_name": "Bình",
        "email": "binh@stc.gov.vn",
        "role": "head",
        "agency": agency.pk,
    }
    response = signed_in(admin_user).post(reverse("people:edit", args=[officer.pk]), data)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (str(officer), officer.role) == ("Lê Bình", "head")
    assert AccountEvent.objects.filter(user=officer, kind="changed").exists()
