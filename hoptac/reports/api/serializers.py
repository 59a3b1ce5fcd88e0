from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

ANNUAL_REPORT_FORMATS = ["zip", "docx", "xlsx"]
YEAR_NEEDED = _("Give the year as a number, for example 2024.")


class AnnualReportQuerySerializer(serializers.Serializer):
    """The query parameters of /plans/{id}/annual-report/: the form of the yearly report page."""

    year = serializers.IntegerField(error_messages={"required": YEAR_NEEDED, "invalid": YEAR_NEEDED})
    number = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    provisional = serializers.BooleanField(required=False, default=False)
    format = serializers.ChoiceField(
        choices=ANNUAL_REPORT_FORMATS,
        required=False,
        default="zip",
        error_messages={"invalid_choice": _("Use zip, docx or xlsx.")},
    )

    def __init__(self, *args, years: range, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years

    def validate_year(self, year: int) -> int:
        if year not in self.years:
            raise serializers.ValidationError(
                _("The yearly report of this plan covers the years %(first)s to %(last)s.")
                % {"first": min(self.years), "last": max(self.years)}
            )
        return year
