"""The invitation e-mail. Claimed before it goes out, so a retried task sends nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Invitation
from .tokens import invitation_tokens


def invitation_url(invitation: Invitation) -> str:
    user = invitation.user
    path = reverse(
        "people:accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def invitation_deliver(*, invitation_id: int) -> bool:
    """Send one invitation e-mail; False if it was sent already (or has no one to go to)."""
    claimed = Invitation.objects.filter(pk=invitation_id, sent_at=None).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("user__agency", "invited_by__agency").get(
        pk=invitation_id
    )
    user = invitation.user
    if not user.is_active or not user.email or user.has_usable_password():
        return False
    days = settings.PEOPLE_INVITATION_TIMEOUT // (24 * 60 * 60)
    context = {
        "user": user,
        "invited_by": invitation.invited_by,
        "url": invitation_url(invitation),
        "site_url": settings.SITE_URL.rstrip("/"),
        "days": days,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("people/email/invitation_subject.txt", context).strip()
        text = render_to_string("people/email/invitation.txt", context)
        html = render_to_string("people/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
