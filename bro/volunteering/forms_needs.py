"""Forms for needs, answers and activities. They check shapes; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bro.core.models import Municipality, Organisation
from bro.core.roles import OrganisationKind
from bro.people.languages import language_choices
from bro.volunteering.models import Activity, ActivityKind, ChainPhase, Need, Skill, TargetSex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Municipalities(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.number})"


def _municipality_field(label):
    return _Municipalities(label=label, queryset=Municipality.objects.none())


class NeedForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Published by"), queryset=Organisation.objects.none())
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_('For example "Refugee guide for a family of five, Arabic or English". No names.'),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What, where and when. No names, identity numbers, phone numbers or email addresses."),
    )
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    municipality = _municipality_field(_("Municipality"))
    languages = forms.MultipleChoiceField(
        label=_("Languages wanted"), required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills wanted"), required=False, choices=Skill.choices, widget=forms.CheckboxSelectMultiple
    )
    volunteers_wanted = forms.IntegerField(
        label=_("Volunteers wanted"), min_value=1, max_value=500, initial=1
    )
    involves_children = forms.BooleanField(
        label=_("Involves children (volunteers need a police certificate)"), required=False
    )
    is_public = forms.BooleanField(label=_("Show on the public page"), required=False, initial=True)

    def __init__(self, *args, organisations=(), municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
            if organisations[0].municipality_id:
                self.fields["municipality"].initial = organisations[0].municipality_id
        self.fields["municipality"].queryset = municipalities or Municipality.objects.valid_on(
            timezone.localdate()
        ).order_by("name")
        self.fields["languages"].choices = language_choices()


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Need.Status.choices)


class AnswerForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Answer for"), queryset=Organisation.objects.none())
    message = forms.CharField(
        label=_("What we can do"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who you can send, when, and what you plan. No personal data."),
    )
    activity = forms.ModelChoiceField(
        label=_("Planned activity"), required=False, queryset=Activity.objects.none()
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        if len(ids) == 1:
            self.fields["organisation"].initial = ids[0]
        self.fields["activity"].queryset = Activity.objects.filter(organisation_id__in=ids).order_by("name")


class ActivityForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    phase = forms.ChoiceField(label=_("Phase of the chain"), choices=ChainPhase.choices, initial="any")
    target_sex = forms.ChoiceField(label=_("For"), choices=TargetSex.choices, initial="any")
    target_age_min = forms.IntegerField(label=_("Youngest participant (age)"), required=False, min_value=0)
    target_age_max = forms.IntegerField(label=_("Oldest participant (age)"), required=False, min_value=0)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    municipality = _municipality_field(_("Municipality"))
    reception_centre = forms.ModelChoiceField(
        label=_("At reception centre"), required=False, queryset=Organisation.objects.none()
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    schedule = forms.CharField(
        label=_("Schedule"), max_length=200, required=False, help_text=_('For example "Tuesdays 18–20".')
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DATE)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), required=False, queryset=Organisation.objects.none()
    )
    involves_children = forms.BooleanField(
        label=_("Involves children (volunteers need a police certificate)"), required=False
    )
    needs_information_meeting = forms.BooleanField(
        label=_("Volunteers must attend the information meeting"), required=False
    )
    needs_training = forms.BooleanField(label=_("Volunteers need training"), required=False)
    needs_commitment = forms.BooleanField(label=_("Volunteers sign a commitment"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
            if organisations[0].municipality_id:
                self.fields["municipality"].initial = organisations[0].municipality_id
        self.fields["municipality"].queryset = Municipality.objects.valid_on(timezone.localdate()).order_by(
            "name"
        )
        self.fields["languages"].choices = language_choices()
        self.fields["reception_centre"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.RECEPTION_CENTRE, is_active=True
        ).order_by("name")
        self.fields["partners"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["starts_on"].initial = timezone.localdate()


class ActivityProgressForm(forms.Form):
    participants_reached = forms.IntegerField(label=_("Participants reached"), min_value=0)
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours in all"),
        min_value=0,
        max_digits=8,
        decimal_places=1,
        help_text=_("The running total since the activity started."),
    )
