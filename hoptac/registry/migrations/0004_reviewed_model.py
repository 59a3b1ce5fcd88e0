# The yearly data's review fields become those of hoptac.core.review.ReviewedModel: `review_state` is
# renamed `state` (data kept), as on the other reviewed models.

from django.db import migrations, models

STATE = models.CharField(
    choices=[
        ("draft", "Draft, not submitted"),
        ("submitted", "Submitted, waiting for the commune's review"),
        ("returned", "Returned for corrections"),
        ("accepted", "Accepted, locked"),
    ],
    db_index=True,
    default="draft",
    editable=False,
    max_length=12,
    verbose_name="review state",
)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_yearly_report_review"),
    ]

    operations = [
        migrations.RenameField(model_name="historicalyearlyreport", old_name="review_state", new_name="state"),
        migrations.RenameField(model_name="yearlyreport", old_name="review_state", new_name="state"),
        migrations.AlterField(model_name="historicalyearlyreport", name="state", field=STATE),
        migrations.AlterField(model_name="yearlyreport", name="state", field=STATE),
    ]
