from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import PasswordResetView
from reports.views import home

admin.site.site_header = _("Plan tracking portal – administration")
admin.site.site_title = _("Plan tracking portal")
admin.site.index_title = _("Portal records")

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oidc/", include("mozilla_django_oidc.urls")),  # 404s unless SSO is configured
    path("plans/", include("planning.urls")),
    path("agencies/", include("organisation.urls")),
    path("reports/annual/", include("annual.urls")),
    path("reports/dashboard/", include("dashboard.urls")),
    path("reports/reminders/", include("reminders.urls")),
    path("reports/", include("reports.urls")),
    path("inbox/", include("notifications.urls")),
    path("people/", include("people.urls")),
    path("health/", include("operations.urls")),
    path("api/", include("api.urls")),
    path("search/", include("search.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
