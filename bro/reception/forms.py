from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bro.reception import rules
from bro.reception.models import OccupancyChangeKind, Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNT = {"min_value": 0, "max_value": rules.MAX_PLACES}
HOURS = {"min_value": 0, "max_value": rules.MAX_WEEKLY_HOURS, "max_digits": 4, "decimal_places": 1}


class CentreCapacityForm(forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE, initial=timezone.localdate)
    places = forms.IntegerField(label=_("Places"), **COUNT)
    note = forms.CharField(
        label=_("Source or note"), max_length=300, required=False, help_text=_("E.g. the contract with UDI.")
    )


class OccupancyChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of change"), choices=OccupancyChangeKind.choices)
    effective_date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    age_0_5 = forms.IntegerField(label=_("Persons aged 0–5"), initial=0, **COUNT)
    age_6_15 = forms.IntegerField(label=_("Persons aged 6–15"), initial=0, **COUNT)
    age_16_17 = forms.IntegerField(label=_("Persons aged 16–17"), initial=0, **COUNT)
    age_18_plus = forms.IntegerField(label=_("Persons aged 18 or over"), initial=0, **COUNT)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def counts(self) -> dict[str, int]:
        return {group: self.cleaned_data[group] for group in rules.AGE_GROUPS}


class ServiceCapacityForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    capacity = forms.IntegerField(label=_("Capacity (residents who can be served)"), **COUNT)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TrainingWeekForm(forms.Form):
    iso_year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    iso_week = forms.IntegerField(label=_("Week number"), min_value=1, max_value=53)
    hours_offered = forms.DecimalField(label=_("Hours offered"), **HOURS)
    hours_attended = forms.DecimalField(label=_("Hours attended"), **HOURS)
    social_studies_hours = forms.DecimalField(
        label=_("Of which social studies (hours)"), required=False, **HOURS
    )
    organisation = forms.ChoiceField(label=_("Given by"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        year, week, _day = timezone.localdate().isocalendar()
        self.fields["iso_year"].initial = year
        self.fields["iso_week"].initial = week
        self.organisations = {str(o.id): o for o in organisations}
        self.fields["organisation"].choices = [(key, o.name) for key, o in self.organisations.items()]
        if len(self.organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = next(iter(self.organisations))

    def chosen_organisation(self):
        return self.organisations.get(self.cleaned_data.get("organisation"))
