"""Reference series owned by a plan (docs/decisions/0016-reference-data-per-plan.md): an existing series goes
to the plan whose file declares its code; another plan declaring the same code gets its own copy; a series no
plan declares is removed."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _own_series(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    ReferenceSeries = apps.get_model("plans", "ReferenceSeries")
    ReferenceValue = apps.get_model("plans", "ReferenceValue")
    for series in ReferenceSeries.objects.filter(plan__isnull=True):
        owners = [
            plan
            for plan in Plan.objects.order_by("issued_on", "pk")
            if any(r.get("code") == series.code for r in (plan.document or {}).get("reference_data", []))
        ]
        if not owners:
            series.delete()
            continue
        values = list(ReferenceValue.objects.filter(series=series))
        series.plan = owners[0]
        series.save(update_fields=["plan"])
        for plan in owners[1:]:
            copy = ReferenceSeries.objects.create(
                plan=plan, code=series.code, name=series.name, unit=series.unit, source=series.source
            )
            ReferenceValue.objects.bulk_create(
                ReferenceValue(series=copy, area_id=v.area_id, year=v.year, value=v.value) for v in values
            )


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('plans', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalReferenceValue',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('value', models.FloatField(verbose_name='value')),
                ('source', models.TextField(blank=True, verbose_name='source of this value')),
                ('entered_at', models.DateTimeField(blank=True, null=True, verbose_name='entered at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical reference value',
                'verbose_name_plural': 'historical reference values',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AlterModelOptions(
            name='referenceseries',
            options={'ordering': ['plan', 'code'], 'verbose_name': 'reference series', 'verbose_name_plural': 'reference series'},
        ),
        migrations.AlterModelOptions(
            name='referencevalue',
            options={'ordering': ['series', 'area', 'year'], 'verbose_name': 'reference value', 'verbose_name_plural': 'reference values'},
        ),
        migrations.AddField(
            model_name='referenceseries',
            name='plan',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reference_series', to='plans.plan', verbose_name='plan'),
        ),
        migrations.AddField(
            model_name='referenceseries',
            name='source_date',
            field=models.DateField(blank=True, null=True, verbose_name='date of the source'),
        ),
        migrations.AddField(
            model_name='referenceseries',
            name='supplier',
            field=models.CharField(blank=True, help_text='Who must supply the values the plan file does not have yet.', max_length=255, verbose_name='supplied by'),
        ),
        migrations.AddField(
            model_name='referencevalue',
            name='entered_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='entered at'),
        ),
        migrations.AddField(
            model_name='referencevalue',
            name='entered_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by'),
        ),
        migrations.AddField(
            model_name='referencevalue',
            name='source',
            field=models.TextField(blank=True, verbose_name='source of this value'),
        ),
        migrations.AddField(
            model_name='target',
            name='data_needed',
            field=models.TextField(blank=True, help_text='For a qualitative target: which data, once collected, would let it be computed.', verbose_name='data that would make it measurable'),
        ),
        migrations.AddField(
            model_name='target',
            name='scaled_from',
            field=models.JSONField(blank=True, default=dict, help_text='The national (or other) figure the target value is derived from, and the factor used.', verbose_name='scaled from'),
        ),
        migrations.AddField(
            model_name='target',
            name='tolerance_above',
            field=models.FloatField(blank=True, null=True, verbose_name='tolerance above'),
        ),
        migrations.AddField(
            model_name='target',
            name='tolerance_below',
            field=models.FloatField(blank=True, null=True, verbose_name='tolerance below'),
        ),
        migrations.AlterField(
            model_name='referenceseries',
            name='code',
            field=models.SlugField(max_length=60, verbose_name='code'),
        ),
        migrations.AddConstraint(
            model_name='referenceseries',
            constraint=models.UniqueConstraint(fields=('plan', 'code'), name='unique_reference_series_code'),
        ),
        migrations.AddField(
            model_name='historicalreferencevalue',
            name='area',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.adminunit'),
        ),
        migrations.AddField(
            model_name='historicalreferencevalue',
            name='entered_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by'),
        ),
        migrations.AddField(
            model_name='historicalreferencevalue',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalreferencevalue',
            name='series',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.referenceseries'),
        ),
        migrations.RunPython(_own_series, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referenceseries",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reference_series",
                to="plans.plan",
                verbose_name="plan",
            ),
        ),
    ]
