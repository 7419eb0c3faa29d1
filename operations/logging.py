"""Structured logs: one JSON object a line in production, each carrying the request it belongs to.

`RequestLogMiddleware` gives every request an id (the proxy's X-Request-ID when it sends a sane
one, else a new one), keeps it with the user id and path in a context variable for the time of
the request, logs one line per request on the `portal.request` logger and sends the id back as
X-Request-ID. `RequestContextFilter`, on the handler, copies those fields onto every record
logged meanwhile, so a traceback and the request line can be found together.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from pythonjsonlogger.json import JsonFormatter

request_logger = logging.getLogger("portal.request")

_context: contextvars.ContextVar[dict[str, object] | None] = contextvars.ContextVar(
    "portal_request_context", default=None
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
FIELDS = ("request_id", "user_id", "path")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        for name in FIELDS:
            if not hasattr(record, name):
                setattr(record, name, context.get(name))
        return True


class PortalJsonFormatter(JsonFormatter):
    """Time, level, logger and message first, then whatever the record carries."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_ensure_ascii", False)  # Vietnamese stays readable
        super().__init__(*args, **kwargs)


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)  # set by AuthenticationMiddleware, further in
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID", "")
        request.id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        context = {"request_id": request.id, "user_id": None, "path": request.path}
        token = _context.set(context)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            context["user_id"] = _user_id(request)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                },
            )
            response["X-Request-ID"] = request.id
            return response
        finally:
            _context.reset(token)
