from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bro.core.models import Organisation
from bro.core.roles import OrganisationKind
from bro.people import rules
from bro.people.languages import language_choices
from bro.people.phases import FinishOutcome, ImmigrantCategory, Phase, Relation, Sex
from bro.people.services import LanguageInput, PersonInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=150)
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    birth_date_is_estimated = forms.BooleanField(label=_("The birth date is estimated"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    immigrant_category = forms.ChoiceField(label=_("Immigrant category"), choices=ImmigrantCategory.choices)
    nationalities = forms.MultipleChoiceField(label=_("Nationalities"), required=False, choices=[])
    preferred_language = forms.ChoiceField(label=_("Preferred language"), required=False, choices=[])
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    other_languages = forms.MultipleChoiceField(label=_("Other languages"), required=False, choices=[])
    national_identity_number = forms.CharField(
        label=_("National identity number or D-number"),
        max_length=13,
        required=False,
        help_text=_("11 digits. Shown only on the person's own page."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    duf_number = forms.CharField(
        label=_("DUF number"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = list(countries)
        languages = language_choices()
        self.fields["preferred_language"].choices = [("", "—"), *languages]
        self.fields["other_languages"].choices = languages

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        languages = []
        if data.get("preferred_language"):
            languages.append(
                LanguageInput(data["preferred_language"], True, data.get("needs_interpreter", False))
            )
        for code in data.get("other_languages") or []:
            if code != data.get("preferred_language"):
                languages.append(LanguageInput(code))
        return PersonInput(
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=data["birth_date"],
            birth_date_is_estimated=data.get("birth_date_is_estimated", False),
            sex=data["sex"],
            immigrant_category=data["immigrant_category"],
            nationalities=list(data.get("nationalities") or []),
            languages=languages,
            national_identity_number=data.get("national_identity_number", ""),
            duf_number=data.get("duf_number", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
        )

    @classmethod
    def initial_for(cls, person) -> dict:
        langs = list(person.languages.all())
        preferred = next((pl for pl in langs if pl.is_preferred), None)
        return {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": person.birth_date,
            "birth_date_is_estimated": person.birth_date_is_estimated,
            "sex": person.sex,
            "immigrant_category": person.immigrant_category,
            "nationalities": [str(c.code) for c in person.nationalities],
            "preferred_language": preferred.language if preferred else "",
            "needs_interpreter": bool(preferred and preferred.needs_interpreter),
            "other_languages": [pl.language for pl in langs if not pl.is_preferred],
            "national_identity_number": person.national_identity_number or "",
            "duf_number": person.duf_number or "",
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
        }


class RegisterPersonForm(PersonForm):
    organisation = forms.ModelChoiceField(label=_("Registered by"), queryset=Organisation.objects.none())
    initial_phase = forms.ChoiceField(
        label=_("First step"),
        choices=[(Phase.ARRIVAL, Phase.ARRIVAL.label), (Phase.PERMIT_GRANTED, Phase.PERMIT_GRANTED.label)],
        help_text=_(
            "Asylum seekers start at arrival; resettlement refugees and family-reunified at permit granted."
        ),
    )
    phase_date = forms.DateField(label=_("Date of the first step"), widget=DATE)
    unaccompanied_minor = forms.BooleanField(
        label=_("Unaccompanied minor (under 18, without parents)"), required=False
    )
    relation = forms.ChoiceField(
        label=_("Relation to the family member"), choices=Relation.choices, required=False
    )

    field_order = ["organisation", "initial_phase", "phase_date"]

    def __init__(self, *args, organisations=(), family_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
        self.family_of = family_of
        if family_of is None:
            del self.fields["relation"]
        else:
            del self.fields["unaccompanied_minor"]
            self.fields["relation"].required = True


class TransitionForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=[])
    date = forms.DateField(label=_("Date"), widget=DATE)
    reception_centre = forms.ModelChoiceField(
        label=_("Reception centre"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Only when the person moves into a reception centre."),
    )
    municipality_number = forms.CharField(
        label=_("Settlement municipality number"),
        max_length=4,
        required=False,
        help_text=_("Four digits, e.g. 5503 for Harstad. Only when the person is settled."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", "—"), *FinishOutcome.choices],
        help_text=_("Only when the person finishes."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, current_phase: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        allowed = (
            rules.ALLOWED_TRANSITIONS.get(current_phase, rules.INITIAL_PHASES)
            if current_phase
            else rules.INITIAL_PHASES
        )
        # The field accepts every phase so that a step the chain does not allow gets the rule's own
        # explanation from the service; the menu offers only the allowed next steps.
        self.fields["phase"].choices = Phase.choices
        self.fields["phase"].widget.choices = [(p.value, p.label) for p in Phase if p.value in allowed]
        self.fields["date"].initial = timezone.localdate()
        self.fields["reception_centre"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.RECEPTION_CENTRE, is_active=True
        ).order_by("name")
