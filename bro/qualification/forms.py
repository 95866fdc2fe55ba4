"""Forms for the participant's case pages. They check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation, User
from bro.core.roles import OrganisationKind, Role
from bro.qualification.models import (
    CefrLevel,
    DelayCause,
    EducationLevel,
    EndReason,
    Extension,
    FinalGoal,
    MeasureKind,
    OneYearStatus,
    Recognition,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DATE, **kwargs)


def _blank(choices):
    return [("", "—"), *choices]


class AssignForm(forms.Form):
    adviser = forms.ModelChoiceField(
        label=_("Programme adviser"), queryset=User.objects.none(), required=False
    )
    adult_education = forms.ModelChoiceField(
        label=_("Adult-education centre"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The centre's teachers may then read the case and record attendance and tests."),
    )

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = User.objects.filter(
            memberships__organisation=municipality, memberships__role=Role.PROGRAMME_ADVISER
        ).order_by("first_name", "username")
        self.fields["adviser"].label_from_instance = lambda u: u.display_name
        centres = Organisation.objects.filter(kind=OrganisationKind.ADULT_EDUCATION, is_active=True)
        if municipality is not None and municipality.municipality_id:
            near = centres.filter(municipality__county_number=municipality.municipality.county_number)
            centres = near if near.exists() else centres
        self.fields["adult_education"].queryset = centres.order_by("name")


class MappingForm(forms.Form):
    completed_on = _date(
        _("Mapping completed on"), required=False, help_text=_("Leave empty while in progress.")
    )
    norwegian_level = forms.ChoiceField(
        label=_("Norwegian level now"), choices=_blank(CefrLevel.choices), required=False
    )
    skills = forms.CharField(label=_("Skills"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    career_guidance = forms.CharField(
        label=_("Career guidance notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    health_limitations = forms.CharField(
        label=_("Health limitations"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only with the participant's consent, and only what matters for the programme."),
    )
    health_consent_on = _date(_("Consent to record health limitations given on"), required=False)


class EducationForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Education level"), choices=_blank(EducationLevel.choices), required=False
    )
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    field = forms.CharField(label=_("Field"), max_length=200, required=False)
    years = forms.DecimalField(label=_("Years"), max_digits=3, decimal_places=1, required=False, min_value=0)
    recognition = forms.ChoiceField(label=_("Recognition"), choices=Recognition.choices, required=False)


class WorkForm(forms.Form):
    occupation = forms.CharField(label=_("Occupation"), max_length=200, required=False)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    years = forms.DecimalField(
        label=_("Years of work"), max_digits=3, decimal_places=1, required=False, min_value=0
    )

    def clean(self):
        data = super().clean()
        if data.get("occupation") and data.get("years") is None:
            self.add_error("years", _("Give the years of work for this occupation."))
        return data


EducationFormSet = forms.formset_factory(EducationForm, extra=2, max_num=10)
WorkFormSet = forms.formset_factory(WorkForm, extra=2, max_num=10)


class GoalsForm(forms.Form):
    final_goal = forms.ChoiceField(label=_("Final goal"), choices=_blank(FinalGoal.choices), required=False)
    final_goal_text = forms.CharField(label=_("Final goal, described"), max_length=300, required=False)
    norwegian_goal = forms.ChoiceField(
        label=_("Norwegian goal"), choices=_blank(CefrLevel.choices), required=False
    )
    integration_contract_signed = _date(_("Integration contract signed"), required=False)
    extension = forms.ChoiceField(label=_("Programme length"), choices=Extension.choices)


class MeasureForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Measure"), choices=_blank(MeasureKind.choices), required=False)
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), max_digits=4, decimal_places=1, required=False, min_value=0
    )
    days_per_week = forms.IntegerField(label=_("Days per week"), min_value=1, max_value=7, required=False)
    start = _date(_("Start"), required=False)
    end = _date(_("End"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind"):
            for name in ("hours_per_week", "start", "end"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Required for a measure."))
        return data


MeasureFormSet = forms.formset_factory(MeasureForm, extra=2, max_num=15)


class PlanForm(forms.Form):
    valid_from = _date(_("Plan valid from"))
    reason = forms.CharField(
        label=_("Reason for the revision"),
        max_length=500,
        required=False,
        help_text=_("Required when the plan is revised."),
    )


class StartForm(forms.Form):
    on = _date(_("Programme start"))
    delay_cause = forms.ChoiceField(
        label=_("Cause of late start"),
        choices=_blank(DelayCause.choices),
        required=False,
        help_text=_(
            "Required when the start is after the deadline; a late start is recorded as a deviation."
        ),
    )
    note = forms.CharField(label=_("Note on the delay"), max_length=500, required=False)


class EndForm(forms.Form):
    on = _date(_("Programme ended on"))
    reason = forms.ChoiceField(label=_("End reason"), choices=_blank(EndReason.choices))


class OneYearForm(forms.Form):
    status = forms.ChoiceField(label=_("Status one year after"), choices=OneYearStatus.choices)
    weekly_work_hours = forms.DecimalField(
        label=_("Weekly working hours"),
        max_digits=4,
        decimal_places=1,
        required=False,
        help_text=_("For a participant in work: hours a week, since a one-hour job also counts."),
    )
    recorded_on = _date(_("Status recorded on"))
