# ImportJob moves here from the reports app (which keeps the annual report). The table the reports app created
# is taken over as it is (state only), then renamed to this app's name (0002): no import is lost.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(upload_to='imports/%Y/%m/', verbose_name='file')),
                ('filename', models.CharField(max_length=255, verbose_name='file name')),
                ('commit', models.BooleanField(default=False, verbose_name='commit')),
                ('state', models.CharField(choices=[('queued', 'Waiting'), ('running', 'Running'), ('checked', 'Checked'), ('refused', 'Refused'), ('committed', 'Imported'), ('failed', 'Failed')], default='queued', max_length=12, verbose_name='state')),
                ('done', models.PositiveIntegerField(default=0)),
                ('total', models.PositiveIntegerField(default=0)),
                ('result', models.JSONField(blank=True, default=dict)),
                ('error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_jobs', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'import',
                'verbose_name_plural': 'imports',
                'ordering': ['-created_at'],
                'db_table': 'reports_importjob',
            },
        ),
            ],
            database_operations=[],
        ),
    ]
