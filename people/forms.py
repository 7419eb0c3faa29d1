from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from plans.models import Agency

from . import access

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class PersonForm(forms.Form):
    """Invite someone, or (the administrator) correct their details. The family name comes
    first, as Vietnamese names are written; the service decides what is allowed."""

    last_name = forms.CharField(
        label=_("Family and middle names"),
        max_length=150,
        required=False,
        help_text=_("E.g. Nguyễn Văn"),
    )
    first_name = forms.CharField(label=_("Given name"), max_length=150, help_text=_("E.g. Bình"))
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        roles = access.assignable_roles(actor)
        self.fields["role"].choices = [(r.value, r.label) for r in User.Role if r.value in roles]
        self.fields["agency"].queryset = access.assignable_agencies(actor)
        if not actor.is_admin:
            self.fields["agency"].required = True
            self.fields["agency"].empty_label = None


class UserFilterForm(forms.Form):
    ACTIVE = [("", _("Active and deactivated")), ("yes", _("Active")), ("no", _("Deactivated"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, required=False, empty_label=_("All agencies")
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = access.visible_users(actor).values("agency")
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agencies)
        self.fields["role"].choices = [("", _("All roles")), *User.Role.choices]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("List of people (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_(
            "Columns: “Cơ quan”, “Họ và tên”, “Email” (or “Thư điện tử”), “Vai trò” (or "
            "“Chức danh”; empty means officer)."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return file


class InvitationPasswordForm(SetPasswordForm):
    """Django's set-password form: the password validators of the settings apply."""
