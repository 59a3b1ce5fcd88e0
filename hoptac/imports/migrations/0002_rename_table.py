# The table taken over from the reports app gets this app's name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="importjob", table=None),
    ]
