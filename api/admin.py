from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiClient
from .services import api_client_token_set


def _show_token_once(request, client: ApiClient, token: str) -> None:
    messages.warning(
        request,
        _("Token of “%(name)s”: %(token)s — copy it now: it is kept nowhere and not shown again.")
        % {"name": client.name, "token": token},
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "token_prefix", "is_active", "last_used_at", "created_by", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["plans", "agencies"]
    readonly_fields = ["token_prefix", "created_by", "created_at", "last_used_at"]
    actions = ["issue_new_token"]

    def save_model(self, request, obj, form, change):
        token = None
        if not change:
            token = api_client_token_set(client=obj)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if token:
            _show_token_once(request, obj, token)

    @admin.action(description=_("Issue a new token (the old one stops working)"))
    def issue_new_token(self, request, queryset):
        for client in queryset:
            token = api_client_token_set(client=client)
            client.save(update_fields=["token_hash", "token_prefix"])
            _show_token_once(request, client, token)
