from django.db import migrations

import accounts.models


def superusers_become_administrators(apps, schema_editor):
    """A superuser made before `createsuperuser` gave the role was left an agency officer with
    no agency: it is the portal's administrator."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True, role="officer", agency__isnull=True).update(role="admin")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_name_sort_key"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.PortalUserManager()),
            ],
        ),
        migrations.RunPython(superusers_become_administrators, migrations.RunPython.noop),
    ]
