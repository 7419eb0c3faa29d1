# Production image: gunicorn serving Django; the same image runs the Celery worker and beat
# (see docker-compose.yml and docs/deploy.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint needs Pango and HarfBuzz's subsetter; Liberation fonts cover Vietnamese.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image (served by WhiteNoise). Production settings
# insist on these variables, so the build gets throw-away values; the real ones come
# from .env at run time.
RUN SECRET_KEY=build-only-not-secret \
    ALLOWED_HOSTS=localhost \
    SITE_URL=https://localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    EMAIL_URL=consolemail:// \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/media /app/var/beat \
    && chown -R app:app /app/media /app/var

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "-b", "0.0.0.0:8000", "-w", "3"]
