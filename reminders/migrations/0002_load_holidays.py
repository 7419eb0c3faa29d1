"""Preload Vietnam's public holidays for 2025–2030 from the `holidays` library (pinned in
requirements.txt), lunar ones included: Tết Nguyên đán and Giỗ Tổ Hùng Vương come from its
Vietnamese lunar calendar. Make-up working days (a Saturday worked in exchange for a day off)
are taken from the library's table of Government swap decisions.

Administrators add what the library does not know (the Government's longer Tết break in a
given year, new swaps) in the admin. Re-running never overwrites their edits.
"""

import datetime as dt

from django.db import migrations

YEARS = range(2025, 2031)


def _worked_weekend_days():
    """Saturdays/Sundays the Government declared working days, from the library's swap table
    (entries: month, day off, month, day worked[, year worked])."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    worked = {}
    for year, entries in VietnamStaticHolidays.special_public_holidays.items():
        if year not in YEARS:
            continue
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            _month, _day, from_month, from_day, *from_year = entry
            day = dt.date(from_year[0] if from_year else year, from_month, from_day)
            if day.weekday() >= 5 and day.year in YEARS:
                worked[day] = "Ngày làm việc bù"
    return worked


def load_holidays(apps, schema_editor):
    import holidays

    Holiday = apps.get_model("reminders", "Holiday")
    days = holidays.country_holidays("VN", years=YEARS, language="vi")
    rows = [Holiday(date=day, name=name[:255]) for day, name in sorted(days.items())]
    rows += [
        Holiday(date=day, name=name, is_working_day=True)
        for day, name in sorted(_worked_weekend_days().items())
        if day not in days
    ]
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_holidays, migrations.RunPython.noop),
    ]
