"""Where a records clerk (văn thư) with admin access uploads an agency's certificate: the file and
its password go through SigningCertificate.set_pkcs12; only the encrypted file is kept."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import SigningCertificate


class SigningCertificateForm(forms.ModelForm):
    pkcs12_file = forms.FileField(
        label=_("certificate file (.p12 / .pfx)"),
        required=False,
        help_text=_("Leave empty to keep the stored file."),
    )
    password = forms.CharField(
        label=_("password of the file"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Used once to check the file; never stored."),
    )

    class Meta:
        model = SigningCertificate
        fields = [
            "agency",
            "kind",
            "seal_image",
            "pkcs11_module",
            "pkcs11_token_label",
            "pkcs11_key_label",
        ]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("pkcs12_file")
        if upload:
            try:
                self.instance.set_pkcs12(upload.read(), cleaned.get("password") or None)
            except ValidationError as exc:
                self.add_error("pkcs12_file", exc)
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    form = SigningCertificateForm
    list_display = ["agency", "kind", "common_name", "issuer", "valid_to", "uploaded_at"]
    list_select_related = ["agency"]
    readonly_fields = [
        "subject",
        "issuer",
        "serial",
        "valid_from",
        "valid_to",
        "uploaded_by",
        "uploaded_at",
    ]

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("pkcs12_file") or not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
