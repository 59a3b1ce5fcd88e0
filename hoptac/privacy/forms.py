"""Forms of the personal-data request pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoptac.core.forms import date_field_setup

from .models import DataSubjectRequest
from .services import REQUEST_FIELDS


class RequestForm(forms.ModelForm):
    class Meta:
        model = DataSubjectRequest
        fields = REQUEST_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_field_setup(self.fields["received_on"])


class CorrectionForm(forms.Form):
    """The person's data on one organisation, as it should read."""

    representative_name = forms.CharField(label=_("Legal representative"), max_length=120, required=False)
    representative_title = forms.CharField(label=_("Representative's title"), max_length=80, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
