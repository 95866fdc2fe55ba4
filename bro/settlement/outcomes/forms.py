from django import forms
from django.utils.translation import gettext_lazy as _

from bro.settlement.outcomes.models import EducationLevel, Need, NorwegianLevel

UNKNOWN = [("", _("Not known"))]


class MatchingProfileForm(forms.Form):
    education = forms.TypedChoiceField(
        label=_("Highest completed education"),
        choices=UNKNOWN + list(EducationLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    norwegian = forms.TypedChoiceField(
        label=_("Norwegian level"),
        choices=UNKNOWN + list(NorwegianLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    work_years = forms.IntegerField(
        label=_("Years of work experience"), min_value=0, max_value=60, required=False
    )
    health_limitation = forms.BooleanField(
        label=_("Has a health limitation that affects work or education"),
        required=False,
        help_text=_("Only with the consent recorded in the settlement interview."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs that only some municipalities can meet"), choices=Need.choices, required=False
    )
    tie_municipality_number = forms.CharField(
        label=_("Family or network tie to municipality (number)"),
        max_length=4,
        required=False,
        help_text=_("Four digits, e.g. 5503 for Harstad. Leave empty when there is no such tie."),
    )


class MunicipalityProfileForm(forms.Form):
    centrality = forms.TypedChoiceField(
        label=_("Centrality"),
        choices=[(i, str(i)) for i in range(1, 7)],
        coerce=int,
        help_text=_("Statistics Norway's centrality index, 1 (most central) to 6 (least)."),
    )
    unemployment_pct = forms.DecimalField(
        label=_("Registered unemployment (%)"), min_value=0, max_value=100, decimal_places=1
    )
    programme_result_pct = forms.DecimalField(
        label=_("In work or education one year after the programme (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered for matching"), choices=Need.choices, required=False
    )
