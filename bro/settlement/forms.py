from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bro.settlement.models import DecisionBody
from bro.settlement.services import InterviewInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric"})
TEXT = forms.Textarea(attrs={"rows": 3})
# Keeps mistaken input within the database's integer range; the services check the domain's limits.
MAX_COUNT = 1_000_000


def _year_field():
    return forms.IntegerField(label=_("Year"), widget=NUMBER, max_value=9999)


def _persons_field():
    return forms.IntegerField(label=_("Persons"), widget=NUMBER, max_value=MAX_COUNT)


def _minors_field():
    return forms.IntegerField(
        label=_("Of which unaccompanied minors"), widget=NUMBER, initial=0, max_value=MAX_COUNT
    )


class NeedForm(forms.Form):
    year = _year_field()
    persons = _persons_field()
    unaccompanied_minors = _minors_field()
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.counties = list(counties)
        for number, name in self.counties:
            self.fields[f"county_{number}_persons"] = forms.IntegerField(
                label=_("%(county)s: persons") % {"county": name},
                required=False,
                widget=NUMBER,
                max_value=MAX_COUNT,
            )
            self.fields[f"county_{number}_unaccompanied_minors"] = forms.IntegerField(
                label=_("%(county)s: of which unaccompanied minors") % {"county": name},
                required=False,
                widget=NUMBER,
                max_value=MAX_COUNT,
            )

    def county_split(self) -> dict[str, tuple[int, int]]:
        split = {}
        for number, _name in self.counties:
            persons = self.cleaned_data.get(f"county_{number}_persons")
            minors = self.cleaned_data.get(f"county_{number}_unaccompanied_minors")
            if persons is not None or minors is not None:
                split[number] = (persons or 0, minors or 0)
        return split

    def main_fields(self):
        return [self[name] for name in ("year", "persons", "unaccompanied_minors", "note")]

    def county_rows(self):
        return [
            (name, self[f"county_{number}_persons"], self[f"county_{number}_unaccompanied_minors"])
            for number, name in self.counties
        ]


class RequestForm(forms.Form):
    year = _year_field()
    municipality_number = forms.CharField(
        label=_("Municipality number"),
        max_length=4,
        help_text=_("Four digits, e.g. 5503 for Harstad."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    persons = _persons_field()
    unaccompanied_minors = _minors_field()
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("For a revision: why the request changed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["sent_on"].initial = timezone.localdate()


class DecisionForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"), choices=[])
    year = _year_field()
    persons = _persons_field()
    unaccompanied_minors = _minors_field()
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    body = forms.ChoiceField(label=_("Decided by"), choices=DecisionBody.choices)
    reference = forms.CharField(label=_("Case reference"), max_length=100, required=False)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(str(o.pk), o.name) for o in municipalities]
        if len(municipalities) == 1:
            self.fields["municipality"].widget = forms.HiddenInput()
            self.fields["municipality"].initial = str(municipalities[0].pk)
        self.fields["year"].initial = timezone.localdate().year


class InterviewForm(forms.Form):
    conducted_on = forms.DateField(label=_("Interview date"), widget=DATE)
    education = forms.CharField(label=_("Education"), required=False, widget=TEXT)
    work_experience = forms.CharField(label=_("Work experience"), required=False, widget=TEXT)
    family_ties = forms.CharField(label=_("Family ties in Norway"), required=False, widget=TEXT)
    network_ties = forms.CharField(label=_("Network and other ties"), required=False, widget=TEXT)
    health_consent_date = forms.DateField(
        label=_("Consent to record health needs given on"),
        required=False,
        widget=DATE,
        help_text=_("Health needs are only recorded with the person's consent."),
    )
    health_needs = forms.CharField(label=_("Health needs"), required=False, widget=TEXT)
    wishes = forms.CharField(label=_("The person's wishes"), required=False, widget=TEXT)
    complete = forms.BooleanField(
        label=_("The interview is complete: the person is ready for settlement"), required=False
    )

    def to_input(self) -> InterviewInput:
        data = self.cleaned_data
        return InterviewInput(
            conducted_on=data["conducted_on"],
            education=data.get("education", ""),
            work_experience=data.get("work_experience", ""),
            family_ties=data.get("family_ties", ""),
            network_ties=data.get("network_ties", ""),
            health_needs=data.get("health_needs", ""),
            health_consent_date=data.get("health_consent_date"),
            wishes=data.get("wishes", ""),
        )


class ProposeForm(forms.Form):
    municipality_number = forms.CharField(
        label=_("Municipality number"),
        max_length=4,
        help_text=_("Four digits, e.g. 5503 for Harstad."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Note to the municipality"), max_length=500, required=False)
    override_reason = forms.CharField(
        label=_("Reason for a new offer after a refusal"),
        max_length=500,
        required=False,
        help_text=_("Only when the household has refused its one offer."),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, help_text=_("Required when declining.")
    )


class SettleForm(forms.Form):
    date = forms.DateField(label=_("Settlement date"), widget=DATE)


class RefusalForm(forms.Form):
    refused_on = forms.DateField(label=_("Refused on"), widget=DATE)
    reason = forms.CharField(label=_("The household's reason"), max_length=500, required=False)
