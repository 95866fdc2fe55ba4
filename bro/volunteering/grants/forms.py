"""Forms for profiles, agreements, schemes and applications. The services check the rules again; the forms
only parse input into values."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from bro.core.models import Municipality, Organisation
from bro.volunteering.grants.messages import ERRORS
from bro.volunteering.grants.models import AgreementKind
from bro.volunteering.models import Activity, CivilSocietyKind
from bro.volunteering.permissions import CIVIL_SOCIETY_KINDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label, required=True, **kwargs):
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=0, **kwargs
    )


def county_choices():
    rows = Municipality.objects.order_by("county_number").values_list("county_number", "county_name")
    return list(dict(rows).items())


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=CivilSocietyKind.choices)
    organisation_number = forms.CharField(
        label=_("Organisation number (Entity Register)"),
        max_length=11,
        required=False,
        help_text=_("Nine digits. Leave empty for an informal group without registration."),
    )
    in_voluntary_register = forms.BooleanField(
        label=_("Registered in the Voluntary Register"), required=False
    )
    voluntary_register_since = forms.DateField(
        label=_("In the Voluntary Register since"), required=False, widget=DATE
    )
    founded_on = forms.DateField(label=_("Founded"), required=False, widget=DATE)
    paying_members = forms.IntegerField(label=_("Paying members"), required=False, min_value=0)
    parent = forms.ModelChoiceField(
        label=_("Parent organisation"), queryset=Organisation.objects.none(), required=False
    )
    counties = forms.MultipleChoiceField(
        label=_("Counties covered"),
        required=False,
        choices=(),
        help_text=_("Hold Ctrl or Cmd to choose several."),
    )
    website = forms.URLField(label=_("Website or group page"), required=False, assume_scheme="https")

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.filter(kind__in=CIVIL_SOCIETY_KINDS)
        if organisation is not None:
            parents = parents.exclude(pk=organisation.pk)
        self.fields["parent"].queryset = parents.order_by("name")
        self.fields["counties"].choices = county_choices()


class AgreementForm(forms.Form):
    public_body = forms.ModelChoiceField(label=_("Public body"), queryset=Organisation.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Volunteer organisation"),
        queryset=Organisation.objects.filter(kind__in=CIVIL_SOCIETY_KINDS).order_by("name"),
    )
    kind = forms.ChoiceField(label=_("Kind of agreement"), choices=AgreementKind.choices)
    amount = _money(
        _("Yearly amount (NOK)"), required=False, help_text=_("Leave empty for an agreement without money.")
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DATE)
    description = forms.CharField(label=_("What the parties agree"), required=False, widget=forms.Textarea)

    def __init__(self, *args, public_bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_body"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in public_bodies]
        ).order_by("name")


class DialogueMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class SchemeForm(forms.Form):
    administrator = forms.ModelChoiceField(label=_("Administrator"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    yearly_budget = _money(_("Yearly budget (NOK)"))
    cap = _money(_("Most per application (NOK)"), required=False)
    requires_voluntary_register = forms.BooleanField(
        label=_("Requires the Voluntary Register"), required=False
    )
    minimum_age_years = forms.IntegerField(
        label=_("Minimum age of the organisation (years)"), min_value=0, max_value=100, initial=0
    )
    minimum_paying_members = forms.IntegerField(label=_("Minimum paying members"), min_value=0, initial=0)
    excludes_faith_based = forms.BooleanField(label=_("Not for faith communities"), required=False)
    allowed_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        choices=CivilSocietyKind.choices,
        required=False,
        help_text=_("Leave empty for every kind."),
    )
    priorities = forms.CharField(
        label=_("Priorities"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rolling = forms.BooleanField(label=_("Rolling deadline"), required=False)
    deadline_1 = forms.DateField(label=_("Deadline, round 1"), required=False, widget=DATE)
    deadline_2 = forms.DateField(label=_("Deadline, round 2"), required=False, widget=DATE)
    deadline_3 = forms.DateField(label=_("Deadline, round 3"), required=False, widget=DATE)
    is_open = forms.BooleanField(label=_("Open for applications"), required=False, initial=True)

    def __init__(self, *args, administrators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administrator"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in administrators]
        ).order_by("name")

    def scheme_fields(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k != "administrator" and not k.startswith("deadline_")
        }
        data["deadlines"] = [
            self.cleaned_data[f"deadline_{i}"] for i in (1, 2, 3) if self.cleaned_data[f"deadline_{i}"]
        ]
        return data


def parse_budget_lines(text: str) -> list[tuple[str, Decimal]]:
    """ "Rent of hall; 4500" per line → [("Rent of hall", Decimal("4500"))]; raises ValidationError."""
    lines = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        item, sep, amount = raw.rpartition(";")
        try:
            value = Decimal(amount.strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            value = None
        if (
            not sep
            or not item.strip()
            or value is None
            or value < 0
            or value != value.quantize(Decimal("0.01"))
        ):
            raise forms.ValidationError(ERRORS["budget_line_invalid"], code="budget_line_invalid")
        lines.append((item.strip(), value.quantize(Decimal("0.01"))))
    return lines


class ApplicationForm(forms.Form):
    amount = _money(_("Amount applied for (NOK)"))
    description = forms.CharField(label=_("What the money is for"), widget=forms.Textarea(attrs={"rows": 5}))
    budget = forms.CharField(
        label=_("Budget"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per item: what it is; amount in kroner (for example: Rent of hall; 4500)."),
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities in Bro"), queryset=Activity.objects.none(), required=False
    )
    attachment = forms.FileField(
        label=_("Attachment"), required=False, help_text=_("PDF or Office document, at most 10 MB.")
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["activities"].queryset = Activity.objects.filter(organisation=organisation).order_by(
                "name"
            )

    def clean_budget(self):
        return parse_budget_lines(self.cleaned_data["budget"])


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"), help_text=_("PDF or Office document, at most 10 MB."))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    approved_amount = _money(_("Amount granted (NOK)"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting."),
    )


class ReportForm(forms.Form):
    activities_done = forms.CharField(label=_("Activities done"), widget=forms.Textarea(attrs={"rows": 4}))
    participants_reached = forms.IntegerField(label=_("Participants reached"), min_value=0)
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours"), min_value=0, max_digits=8, decimal_places=1
    )
    spent = _money(_("Spent (NOK)"))
    spending_notes = forms.CharField(
        label=_("Spending"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
