# The yearly data joins the submit → review → accept flow. Rows entered before the flow existed are taken as
# accepted (they were the registry's data of record); rows created from now on start as drafts.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_status_effective_to'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalyearlyreport',
            name='review_comment',
            field=models.TextField(blank=True, editable=False, verbose_name='review comment'),
        ),
        migrations.AddField(
            model_name='historicalyearlyreport',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='reviewed at'),
        ),
        migrations.AddField(
            model_name='historicalyearlyreport',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='historicalyearlyreport',
            name='review_state',
            field=models.CharField(choices=[('draft', 'Draft, not submitted'), ('submitted', "Submitted, waiting for the commune's review"), ('returned', 'Returned for corrections'), ('accepted', 'Accepted, locked')], db_index=True, default='accepted', editable=False, max_length=10, verbose_name='review state'),
        ),
        migrations.AddField(
            model_name='historicalyearlyreport',
            name='submitted_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        migrations.AddField(
            model_name='yearlyreport',
            name='review_comment',
            field=models.TextField(blank=True, editable=False, verbose_name='review comment'),
        ),
        migrations.AddField(
            model_name='yearlyreport',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='reviewed at'),
        ),
        migrations.AddField(
            model_name='yearlyreport',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='yearlyreport',
            name='review_state',
            field=models.CharField(choices=[('draft', 'Draft, not submitted'), ('submitted', "Submitted, waiting for the commune's review"), ('returned', 'Returned for corrections'), ('accepted', 'Accepted, locked')], db_index=True, default='accepted', editable=False, max_length=10, verbose_name='review state'),
        ),
        migrations.AddField(
            model_name='yearlyreport',
            name='submitted_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        # Existing rows got "accepted" above; new rows start as drafts.
        migrations.AlterField(
            model_name='historicalyearlyreport',
            name='review_state',
            field=models.CharField(choices=[('draft', 'Draft, not submitted'), ('submitted', "Submitted, waiting for the commune's review"), ('returned', 'Returned for corrections'), ('accepted', 'Accepted, locked')], db_index=True, default='draft', editable=False, max_length=10, verbose_name='review state'),
        ),
        migrations.AlterField(
            model_name='yearlyreport',
            name='review_state',
            field=models.CharField(choices=[('draft', 'Draft, not submitted'), ('submitted', "Submitted, waiting for the commune's review"), ('returned', 'Returned for corrections'), ('accepted', 'Accepted, locked')], db_index=True, default='draft', editable=False, max_length=10, verbose_name='review state'),
        ),
    ]
