"""Operators' entry point to the daily reminder run: `send_reminders [--today D] [--dry-run]`."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reminders.services import reminders_send


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today expects YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Send the deadline reminders due today (the same service the daily Celery task runs)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Run as if today were YYYY-MM-DD.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get what; send nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        day = _date(today) if today else None
        result = reminders_send(today=day, dry_run=dry_run)
        if dry_run:
            for p in result.planned:
                days = (
                    f"{p.days_left} days left"
                    if p.days_left >= 0
                    else f"{p.days_overdue} days overdue"
                )
                self.stdout.write(
                    f"{p.submission.agency} | {p.submission.round} | {p.kind} {p.step.name} "
                    f"(deadline {p.deadline:%d/%m/%Y}, {days}, {p.action}) | "
                    f"to: {', '.join(p.to_emails) or '-'} | cc: {', '.join(p.cc_emails) or '-'} | "
                    f"missing: {len(p.missing)}"
                )
            self.stdout.write(f"Dry run: {len(result.planned)} reminder(s) would go out.")
            return
        summary = ", ".join(f"{key} {value}" for key, value in result.as_dict().items())
        self.stdout.write(self.style.SUCCESS(f"Reminders: {summary}."))
