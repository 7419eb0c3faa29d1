"""One-time, expiring invitation links, in the manner of Django's password-reset tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.models import User

VALID, EXPIRED, INVALID = "valid", "expired", "invalid"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """The hash covers the password, so a link stops working once it has set one (one-time), and
    re-sending an invitation gives the account a fresh unusable password, so older links stop
    working too. Its own salt: a password-reset link is no invitation, nor the other way round."""

    key_salt = "people.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return super()._make_hash_value(user, timestamp) + str(user.is_active)

    def state(self, user: User | None, token: str) -> str:
        """VALID, EXPIRED (a genuine link, too old) or INVALID (made up, used or replaced)."""
        if user is None or not token or not user.is_active:
            return INVALID
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return INVALID
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return INVALID
        if self._num_seconds(self._now()) - ts > settings.PEOPLE_INVITATION_TIMEOUT:
            return EXPIRED
        return VALID

    def check_token(self, user: User | None, token: str | None) -> bool:
        return self.state(user, token or "") == VALID


invitation_tokens = InvitationTokenGenerator()
