"""Durable figures (docs/decisions/0053-durable-yearly-counts.md): computed counts kept with the clock of their
year (hoptac.core.dataversion.durable)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_year_clock'),
    ]

    operations = [
        migrations.CreateModel(
            name='DurableFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='name')),
                ('digest', models.CharField(max_length=32, verbose_name='digest')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('clock', models.BigIntegerField(verbose_name='clock')),
                ('engine', models.CharField(max_length=64, verbose_name='engine')),
                ('value', models.TextField(verbose_name='value')),
            ],
            options={
                'verbose_name': 'durable figure',
                'verbose_name_plural': 'durable figures',
                'constraints': [models.UniqueConstraint(fields=('name', 'digest'), name='one_durable_figure')],
            },
        ),
    ]
