from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from .services import password_reset_allowed


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per address and per client (accounts/services.py)."""

    def form_valid(self, form):
        allowed = password_reset_allowed(
            email=form.cleaned_data["email"], client_ip=get_client_ip_address(self.request)
        )
        if allowed:
            return super().form_valid(form)
        form.add_error(
            None,
            _(
                "Too many password reset requests. Wait %(minutes)s minutes and try again, "
                "or ask your agency's portal administrator."
            )
            % {"minutes": settings.PASSWORD_RESET_WINDOW_MINUTES},
        )
        response = self.form_invalid(form)
        response.status_code = 429
        return response
