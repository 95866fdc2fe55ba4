"""Forms for the public sign-up, the volunteer's own details, onboarding and surges. The forms only parse;
the services in bro.volunteering.services.volunteers decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation
from bro.people.languages import language_choices
from bro.people.phases import Sex
from bro.volunteering import permissions
from bro.volunteering.models import ActivityKind, Availability, Skill
from bro.volunteering.services.volunteers import VolunteerInput

SEX_CHOICES = [("", _("Prefer not to say")), (Sex.FEMALE, Sex.FEMALE.label), (Sex.MALE, Sex.MALE.label)]


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class VolunteerDetailsForm(forms.Form):
    """What a volunteer tells about themselves; shared by the sign-up and "My volunteering"."""

    given_name = forms.CharField(label=_("Given name"), max_length=150)
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=language_choices, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.MultipleChoiceField(
        label=_("What you can help with"),
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interests = forms.MultipleChoiceField(
        label=_("Activities you would like to join"),
        choices=ActivityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    municipality = forms.CharField(
        label=_("Home municipality"),
        max_length=120,
        help_text=_("Municipality number or name, e.g. 5503 or Harstad."),
        widget=forms.TextInput(attrs={"list": "municipality-list", "autocomplete": "off"}),
    )
    travel_municipalities = forms.CharField(
        label=_("Other municipalities you can travel to"),
        max_length=500,
        required=False,
        help_text=_("Numbers or names, separated by commas."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When you are available"), choices=Availability.choices, widget=forms.CheckboxSelectMultiple
    )
    available_until = forms.DateField(
        label=_("Can commit until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    has_refugee_background = forms.BooleanField(
        label=_("I have a refugee or immigrant background"),
        required=False,
        help_text=_("Refugees and immigrants are welcome as volunteers. You do not have to answer."),
    )

    CHOICE_FIELDS = ("languages", "skills", "interests", "availability")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_name"].widget.attrs.update({"autocomplete": "given-name", "dir": "auto"})
        self.fields["family_name"].widget.attrs.update({"autocomplete": "family-name", "dir": "auto"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["birth_year"].widget.attrs["inputmode"] = "numeric"

    def to_input(self) -> VolunteerInput:
        data = self.cleaned_data
        return VolunteerInput(
            given_name=data["given_name"],
            family_name=data["family_name"],
            email=data["email"],
            phone=data.get("phone") or "",
            sex=data.get("sex") or "",
            birth_year=data.get("birth_year"),
            languages=list(data["languages"]),
            skills=list(data.get("skills") or []),
            interests=list(data.get("interests") or []),
            municipality=data["municipality"],
            travel_municipalities=_split(data.get("travel_municipalities")),
            availability=list(data["availability"]),
            available_until=data.get("available_until"),
            has_refugee_background=bool(data.get("has_refugee_background")),
        )

    @staticmethod
    def initial_for(volunteer) -> dict:
        return {
            "given_name": volunteer.given_name,
            "family_name": volunteer.family_name,
            "email": volunteer.email,
            "phone": volunteer.phone,
            "sex": volunteer.sex,
            "birth_year": volunteer.birth_year,
            "languages": volunteer.languages,
            "skills": volunteer.skills,
            "interests": volunteer.interests,
            "municipality": f"{volunteer.municipality.number} {volunteer.municipality.name}",
            "travel_municipalities": ", ".join(
                f"{m.number} {m.name}" for m in volunteer.travel_municipalities.order_by("number")
            ),
            "availability": volunteer.availability,
            "available_until": volunteer.available_until,
            "has_refugee_background": volunteer.has_refugee_background,
        }


class SignupForm(VolunteerDetailsForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation you want to volunteer with"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No particular organisation – a coordinator will contact me"),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. You log in with your email and this password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=permissions.CIVIL_SOCIETY_KINDS, is_active=True
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class OnboardingStepsForm(forms.Form):
    """The day each onboarding step was done. Only the day the police certificate was checked is kept."""

    information_meeting_on = forms.DateField(
        label=_("Information meeting"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    training_on = forms.DateField(
        label=_("Training"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    police_certificate_on = forms.DateField(
        label=_("Police certificate checked"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day you saw the certificate. Do not upload or keep the certificate itself."),
    )
    commitment_signed_on = forms.DateField(
        label=_("Commitment signed"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class StartOnboardingForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("name")


class AddToActivityForm(forms.Form):
    activity = forms.ChoiceField(label=_("Activity"))

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", "—")] + [
            (str(a.pk), f"{a.name} ({a.organisation.name})") for a in activities
        ]


class SurgeForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Declared by"), queryset=Organisation.objects.none())
    message = forms.CharField(
        label=_("Message to new volunteers"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public sign-up page while the surge lasts. No personal data."),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("name")
