"""Personal-data requests follow the project's one review workflow (hoptac.core.review): the decision, its
maker, time and reason become the review's state, reviewer, time and comment; who recorded the request and when
become its submitter and submission time; a request carried out is in the state "done"."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forward(apps, schema_editor):
    Request = apps.get_model("privacy", "DataSubjectRequest")
    Request.objects.filter(state="pending").update(state="received")
    Request.objects.filter(done_at__isnull=False).update(state="done")


def backward(apps, schema_editor):
    Request = apps.get_model("privacy", "DataSubjectRequest")
    Request.objects.filter(state="received").update(state="pending")
    Request.objects.filter(state="done").update(state="accepted")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("datasubjectrequest", "created_by", "submitted_by"),
        migrations.RenameField("datasubjectrequest", "created_at", "submitted_at"),
        migrations.RenameField("datasubjectrequest", "decided_by", "reviewed_by"),
        migrations.RenameField("datasubjectrequest", "decided_at", "reviewed_at"),
        migrations.RenameField("datasubjectrequest", "decision_note", "review_comment"),
        migrations.RenameField("datasubjectrequest", "decision", "state"),
        migrations.AddField(
            model_name='datasubjectrequest',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='version'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='done_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='carried out at'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='done_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='carried out by'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='outcome',
            field=models.TextField(blank=True, editable=False, verbose_name='what was done'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='review_comment',
            field=models.TextField(blank=True, editable=False, verbose_name='review comment'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='reviewed at'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='state',
            field=models.CharField(choices=[('received', 'Waiting for a decision'), ('accepted', 'Accepted'), ('refused', 'Refused'), ('done', 'Carried out')], db_index=True, default='received', editable=False, max_length=12, verbose_name='state'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='submitted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='submitted at'),
        ),
        migrations.AlterField(
            model_name='datasubjectrequest',
            name='submitted_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        migrations.RunPython(forward, backward),
    ]
