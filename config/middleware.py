from django.db import transaction
from django.urls import reverse


class VietnameseFirstMiddleware:
    """Serve Vietnamese unless the user picked English in the portal.

    Many officials' browsers announce English; the portal must still open in Vietnamese, so the
    browser's Accept-Language header is ignored and only the language cookie (set by the
    switcher) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SqliteWritesAtomicMiddleware:
    """The SQLite default's stand-in for ATOMIC_REQUESTS: one transaction for each request that
    may write, none for the requests that only read.

    SQLite has one writer at a time and the portal begins its transactions IMMEDIATE (they take
    the write lock at once, so two writers never deadlock). Wrapping every request, as
    ATOMIC_REQUESTS does, made pages that only read wait in that one queue, and 10 people at
    once already got "database is locked" (docs/benchmarks.md). Reads now run in autocommit
    (WAL lets them go on while someone writes); a POST is one transaction as on PostgreSQL, and
    a server error rolls it back. Signing in stays outside: the password check takes a second
    of CPU and writes only its own rows (session, last login, sign-in attempts).
    """

    SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS or request.path == reverse("login"):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            return response
