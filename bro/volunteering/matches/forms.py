from django import forms
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation
from bro.core.roles import OrganisationKind
from bro.volunteering.matches.messages import FIELDS
from bro.volunteering.matches.models import MatchConsent
from bro.volunteering.models import ActivityKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MatchRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Volunteer organisation or centre"),
        queryset=Organisation.objects.filter(
            is_active=True,
            kind__in=[OrganisationKind.VOLUNTEER_ORGANISATION, OrganisationKind.VOLUNTEER_CENTRE],
        ).order_by("name"),
    )
    kind = forms.ChoiceField(label=_("Kind of match"), choices=ActivityKind.choices)
    need = forms.CharField(
        label=_("The need"),
        max_length=300,
        help_text=_(
            'A short sentence the volunteer will see, e.g. "help finding the way around town". '
            "No health or other sensitive details."
        ),
    )
    with_household = forms.BooleanField(label=_("The volunteer meets the whole household"), required=False)
    agreed_months = forms.IntegerField(
        label=_("Agreed duration in months"), min_value=1, max_value=36, initial=6
    )


class ConsentForm(forms.Form):
    given_on = forms.DateField(label=_("Consent given on"), widget=DATE)
    extra_fields = forms.MultipleChoiceField(
        label=_("Also shared with the volunteer (first name, languages and the need are always shared)"),
        choices=[(f, FIELDS[f]) for f in MatchConsent.EXTRA_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AssignForm(forms.Form):
    volunteer = forms.UUIDField(label=_("Volunteer"), widget=forms.HiddenInput)


class StartForm(forms.Form):
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)


class CheckInForm(forms.Form):
    day = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1)
    note = forms.CharField(
        label=_("Short note"),
        max_length=300,
        required=False,
        help_text=_("What you did together. No health or other sensitive details."),
    )


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("End date"), widget=DATE)
    refugee_feedback = forms.CharField(
        label=_("Feedback from the refugee (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 3}))
