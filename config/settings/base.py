"""Settings shared by every environment; each value can come from the environment."""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")  # production.py insists on one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",  # the unaccent lookup of search/; inert on SQLite
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "accounts.apps.AxesConfig",  # django-axes, with a translated name
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
LOCAL_APPS = [
    "common",
    "provinces",
    "accounts",
    "plans",
    "workdays",
    "tasks",
    "planning",
    "signing",
    "reports",
    "organisation",
    "notifications",
    "reminders",
    "dashboard",
    "people",
    "search",
    "annual",
    "demo",
    "operations",
    "api",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so the request line and its id cover what every later middleware does.
    "operations.logging.RequestLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known: every later query sees only the user's provinces.
    "provinces.middleware.ProvinceScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during sign-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/ can override one: the admin's date/time pair
# gets a label on each input (templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold PostgreSQL's promise under concurrent saves: a writer
    # takes the write lock when its transaction begins (no deadlock between two readers that
    # both want to write, which SQLite answers at once with "database is locked"), waits up
    # to 60 s for it, and WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 60,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # SQLite has one writer at a time. Wrapping each request in a transaction (ATOMIC_REQUESTS)
    # held that lock while pages were parsed and rendered, and 10 people at once already got
    # "database is locked". Here the lock is held only inside the services' own transactions
    # (every workflow write is one, `reports.services` …); 50 clients at once then see no server
    # error (bench/load.py --sqlite, docs/benchmarks.md). PostgreSQL keeps ATOMIC_REQUESTS.
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a sign-in while the username + address pair is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first: officials read the portal in Vietnamese; English is offered for others.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy in the forms Django builds (the admin): config/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Evidence files: officials attach scans; 20 MB each is the portal's rule.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# All the evidence of one submission together (reports/services.py refuses a save beyond it).
EVIDENCE_MAX_TOTAL_BYTES = env.int("EVIDENCE_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
# A long text field holds at most this many characters (common/fields.py; docs/domain.md). The
# request may carry more text than that, so that a too-long text reaches the form and comes back
# with a message instead of a bare "400 Bad Request".
TEXT_FIELD_MAX_CHARS = 100_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng theo dõi kế hoạch <noreply@localhost>")

# Celery: JSON only, bounded run time, the beat schedule in one place.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
# Three queues, each with workers of its own (docker-compose.yml), so a long report build never
# holds back a reminder or an invitation: mail, documents (report files, plan documents), default.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "notifications.tasks.*": {"queue": "mail"},
    "reminders.tasks.*": {"queue": "mail"},
    "people.tasks.*": {"queue": "mail"},
    "annual.tasks.*": {"queue": "documents"},
    "planning.tasks.*": {"queue": "documents"},
}
# An unacknowledged message (its worker killed) comes back after this long instead of Redis's
# default hour; longer than CELERY_TASK_TIME_LIMIT, so a running task is never handed out twice.
# Report builds do not wait for it: a restarted worker and the sweep below take them over.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=20 * 60)
}
CELERY_BEAT_SCHEDULE = {
    "send-daily-reminders": {
        "task": "reminders.tasks.send_daily_reminders",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
    # Report builds whose worker was killed (annual.build.snapshots_recover) are queued again.
    "recover-report-builds": {
        "task": "annual.tasks.recover_snapshots",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # A new day moves every status's "as of": the dashboards' figures, derived before anyone
    # opens them (dashboard.cache.figures_warm).
    "warm-dashboard-figures": {
        "task": "dashboard.tasks.warm_figures",
        "schedule": crontab(hour=0, minute=10),
        "options": {"expires": 6 * 60 * 60},
    },
    # Evidence files kept from a refused save and never claimed by a later one.
    "clean-staged-uploads": {
        "task": "reports.tasks.clean_staged_uploads",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    # Every 1 December: the calendar always reaches five years past the coming reporting year.
    "fill-coming-holidays": {
        "task": "workdays.tasks.fill_coming_holidays",
        "schedule": crontab(month_of_year=12, day_of_month=1, hour=3, minute=0),
    },
}

# Plain text on the console here; production.py writes JSON lines (operations/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "operations.logging.RequestContextFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # runserver prints its own line per request; the portal's goes to production's JSON log.
    "loggers": {"portal.request": {"level": env("REQUEST_LOG_LEVEL", default="WARNING")}},
}

# The read API for other systems (api/, docs/api.md): tokens only, never the session; JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasApiToken"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Plan tracking portal – read API",
    "DESCRIPTION": (
        "Plans, sections, targets with yearly values, tasks with their derived status, reporting "
        "rounds and accepted reports, for other government systems (Decree 09/2019/NĐ-CP). "
        "Every /api/v1/ request needs `Authorization: Bearer <token>`; a token sees its "
        "provinces' rows (and national ones), and within them its plans (and agencies) only."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema and its documentation page are public; the data is not.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI's files come from drf-spectacular-sidecar, served from STATIC_URL: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"TaskStatusEnum": "tasks.models.TaskStatus"},
}

# How long an invitation link stays good (people/tokens.py); re-sending gives a fresh one.
PEOPLE_INVITATION_TIMEOUT = env.int("PEOPLE_INVITATION_TIMEOUT", default=7 * 24 * 60 * 60)

DEMO_PASSWORD = env("DEMO_PASSWORD", default="demo")

# The report form saves a draft by itself after this many seconds without typing (0: never).
REPORTS_AUTOSAVE_SECONDS = env.int("REPORTS_AUTOSAVE_SECONDS", default=20)

# Digital signing (signing/, docs/signing.md). The Fernet key that encrypts stored PKCS#12 files has
# no default here: signing refuses to start without one. The timestamp server and trust list are
# optional; without them signatures are PAdES B-B and verification trusts no CA.
SIGNING_KEY = env("SIGNING_KEY", default="")
SIGNING_TSA_URL = env("SIGNING_TSA_URL", default="")
SIGNING_TRUST_ROOTS = env("SIGNING_TRUST_ROOTS", default="")

# --- security ------------------------------------------------------------------------------

# Login throttling (django-axes): 5 failed sign-ins for one username from one address lock that
# pair out for 15 minutes. Locking by the pair, not the username alone, keeps a stranger from
# locking an officer out of the portal just by knowing the username.
AXES_FAILURE_LIMIT = 5
# Proxies whose X-Forwarded-For is believed (production sets it; see config/client_ip.py).
TRUSTED_PROXIES: list[str] = []
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429


def _axes_username(request, credentials=None) -> str:
    """The username a failure is counted against, cut to what a username can be: Django's
    sign-in form does not limit its length, and django-axes stores it in a varchar(255)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).replace("\x00", "")[:150]


AXES_USERNAME_CALLABLE = _axes_username

# Password reset e-mails (accounts/services.py): per address and per client address, in a window.
# The counters live in the cache: Redis in production, so every gunicorn worker shares them.
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
PASSWORD_RESET_PER_IP = env.int("PASSWORD_RESET_PER_IP", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)

# Content-Security-Policy (django-csp): no inline script or style anywhere; every script and
# style sheet is a file under static/ (see static/js/portal.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The reason of a history record is the reviewer's whole comment ("why"), not a 100-char label.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- single sign-on (OpenID Connect, mozilla-django-oidc; see docs/sso.md) ----------------------

# The /oidc/ views answer 404 unless SSO is configured (accounts/oidc.py).
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.SignInView"
OIDC_CALLBACK_CLASS = "accounts.oidc.CallbackView"
OIDC_ENABLED = False
OIDC_BACKEND = "accounts.oidc.PortalOIDCBackend"
OIDC_ENDPOINT_VARIABLES = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


def oidc_settings(environ, *, backends: list[str], csp: dict) -> dict:
    """The settings single sign-on adds, read from `environ`; none while OIDC_RP_CLIENT_ID is unset.

    The endpoints come from the variables, or else from the provider's discovery document,
    fetched on first use (accounts/oidc.py), so the portal starts even while the provider is down.
    """
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    def get(name: str) -> str:
        return environ.get(name, "").strip()

    if not get("OIDC_RP_CLIENT_ID"):
        return {}
    endpoints = {name: get(name) for name in OIDC_ENDPOINT_VARIABLES}
    discovery = get("OIDC_OP_DISCOVERY_URL")
    if not get("OIDC_RP_CLIENT_SECRET"):
        raise ImproperlyConfigured("OIDC_RP_CLIENT_ID is set: set OIDC_RP_CLIENT_SECRET too.")
    if not discovery and not all(endpoints.values()):
        raise ImproperlyConfigured(
            "Single sign-on needs OIDC_OP_DISCOVERY_URL (the provider's issuer URL), or all of "
            + ", ".join(OIDC_ENDPOINT_VARIABLES)
        )
    algorithm = get("OIDC_RP_SIGN_ALGO") or "RS256"
    # Keys from the provider's JWKS only: an HS* algorithm would take the client secret as key.
    if algorithm not in ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512"):
        raise ImproperlyConfigured(f"OIDC_RP_SIGN_ALGO={algorithm}: use RS256 (or RS*/ES*).")
    try:
        timeout = int(get("OIDC_TIMEOUT") or 10)
    except ValueError as exc:
        raise ImproperlyConfigured("OIDC_TIMEOUT is a number of seconds.") from exc

    # Signing out of an SSO session is a POST that the portal redirects to the provider's
    # end_session_endpoint: the policy's form-action must let that redirect through.
    logout = get("OIDC_OP_LOGOUT_ENDPOINT")
    origins = []
    for url in (discovery, logout, endpoints["OIDC_OP_AUTHORIZATION_ENDPOINT"]):
        if url:
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    directives = dict(csp["DIRECTIVES"])
    directives["form-action"] = [*directives["form-action"], *origins]

    return {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": get("OIDC_RP_CLIENT_ID"),
        "OIDC_RP_CLIENT_SECRET": get("OIDC_RP_CLIENT_SECRET"),
        "OIDC_RP_SIGN_ALGO": algorithm,
        "OIDC_OP_DISCOVERY_URL": discovery,
        **endpoints,
        "OIDC_OP_LOGOUT_ENDPOINT": logout,
        "OIDC_RP_SCOPES": "openid email",
        "OIDC_TIMEOUT": timeout,
        # Accounts are made by the administrator; SSO only signs existing ones in.
        "OIDC_CREATE_USER": False,
        # Kept for the id_token_hint the provider's sign-out page asks for.
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_OP_LOGOUT_URL_METHOD": "accounts.oidc.provider_logout_url",
        "AUTHENTICATION_BACKENDS": [*backends, OIDC_BACKEND],
        # The provider checks the password and throttles its own sign-ins; the portal's lockout
        # is for the portal's passwords, so a refused SSO sign-in counts for nothing.
        "AXES_WHITELIST_CALLABLE": "accounts.oidc.is_sso_callback",
        "CONTENT_SECURITY_POLICY": {**csp, "DIRECTIVES": directives},
    }


vars().update(
    oidc_settings(env.ENVIRON, backends=AUTHENTICATION_BACKENDS, csp=CONTENT_SECURITY_POLICY)
)
