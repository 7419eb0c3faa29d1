"""unaccent and pg_trgm for the accent-insensitive search; nothing on SQLite (Django's
CreateExtension does nothing on other databases)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [UnaccentExtension(), TrigramExtension()]
