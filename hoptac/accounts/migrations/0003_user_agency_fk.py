# The free-text `agency` becomes a link to the agencies of the tasks app (plan_tasks.Agency).
# Existing texts are matched by name (or short name) to agencies already loaded; texts that match none are
# dropped — `load_agencies` then `load_demo_tasks` link the demo users again (docs/decisions/0004-tasks.md).

import django.db.models.deletion
from django.db import migrations, models


def link_agencies(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Agency = apps.get_model("plan_tasks", "Agency")
    for user in User.objects.exclude(agency=""):
        text = user.agency.strip()
        agency = (
            Agency.objects.filter(name__iexact=text).first() or Agency.objects.filter(short_name__iexact=text).first()
        )
        if agency is not None:
            User.objects.filter(pk=user.pk).update(agency_link=agency)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("plan_tasks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="agency_link",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="plan_tasks.agency",
            ),
        ),
        migrations.RunPython(link_agencies, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="agency"),
        migrations.RenameField(model_name="user", old_name="agency_link", new_name="agency"),
        migrations.AlterField(
            model_name="user",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                help_text="The department, alliance or People's Committee the user works for and reports for.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="users",
                to="plan_tasks.agency",
                verbose_name="agency",
            ),
        ),
    ]
