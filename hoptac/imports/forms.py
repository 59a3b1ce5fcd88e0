from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .reading import parse_year_option


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
    year = forms.IntegerField(
        label=_("Year of the data (if the list does not say it)"),
        required=False,
        min_value=1990,
        max_value=2099,
        help_text=_(
            "Only needed when the list has no column 'Năm số liệu', no year in its headers "
            "('Doanh thu năm 2024') and none in its title ('Danh sách HTX năm 2024')."
        ),
    )

    def clean_year(self):
        try:
            return parse_year_option(self.cleaned_data.get("year"))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["year"]) from exc
