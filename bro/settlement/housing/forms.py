from django import forms
from django.utils.translation import gettext_lazy as _

from bro.core.models import Organisation
from bro.settlement.housing import services
from bro.settlement.housing.models import GuidanceKind, Ownership, TargetGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 9, "decimal_places": 2}


class TermsForm(forms.Form):
    allows = forms.BooleanField(label=_("We allow agreed self-settlement"), required=False)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups_other_nb = forms.CharField(
        label=_("Other target groups (Norwegian)"), max_length=300, required=False
    )
    target_groups_other_en = forms.CharField(
        label=_("Other target groups (English)"), max_length=300, required=False
    )
    must_find_new_housing_if_moving = forms.BooleanField(
        label=_("Those who move must find new housing themselves"), required=False
    )
    deposit_help = forms.BooleanField(label=_("We help with the deposit"), required=False)
    empty_unit_rent_help = forms.BooleanField(label=_("We help with rent on empty units"), required=False)
    other_terms_nb = forms.CharField(
        label=_("Other terms (Norwegian)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    other_terms_en = forms.CharField(
        label=_("Other terms (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to English readers; the Norwegian text is shown when this is empty."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=32, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    published = forms.BooleanField(
        label=_("Publish in the national overview"),
        required=False,
        help_text=_("The overview is public: anyone can read it without logging in."),
    )

    @classmethod
    def initial_for(cls, terms) -> dict:
        if terms is None:
            return {}
        return {name: getattr(terms, name) for name in services.TERMS_FIELDS}

    def to_input(self) -> services.TermsInput:
        data = {name: self.cleaned_data[name] for name in services.TERMS_FIELDS}
        data["target_groups"] = list(data["target_groups"] or [])
        return services.TermsInput(**data)


class RequestForm(forms.Form):
    household = forms.ChoiceField(label=_("Household"), choices=[])
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Organisation.objects.none(),
        help_text=_("Only municipalities that allow agreed self-settlement are listed."),
    )
    landlord = forms.CharField(label=_("Landlord"), max_length=200)
    address = forms.CharField(label=_("Address of the dwelling"), max_length=300)
    monthly_rent = forms.DecimalField(label=_("Monthly rent (NOK)"), min_value=0, **MONEY)
    deposit = forms.DecimalField(label=_("Deposit (NOK)"), min_value=0, required=False, **MONEY)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=0, max_value=30)
    contract_start = forms.DateField(label=_("Contract starts"), widget=DATE)

    def __init__(self, *args, households=(), municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "—")] + [
            (str(h.id), f"{persons[0].full_name} ({len(persons)})") for h, persons in households
        ]
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities

    def to_input(self) -> services.RequestInput:
        data = self.cleaned_data
        return services.RequestInput(
            landlord=data["landlord"],
            address=data["address"],
            monthly_rent=data["monthly_rent"],
            deposit=data.get("deposit") or 0,
            rooms=data["rooms"],
            contract_start=data["contract_start"],
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject."),
    )
    decided_on = forms.DateField(label=_("Decision date"), widget=DATE, required=False)


class UnitForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=300)
    size_m2 = forms.IntegerField(label=_("Size (m²)"), min_value=0, max_value=1000)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=0, max_value=30)
    bedrooms = forms.IntegerField(label=_("Bedrooms"), min_value=0, max_value=30)
    monthly_rent = forms.DecimalField(label=_("Monthly rent (NOK)"), min_value=0, **MONEY)
    ownership = forms.ChoiceField(label=_("Ownership"), choices=Ownership.choices)
    accessible = forms.BooleanField(label=_("Accessible (universal design)"), required=False)
    available_from = forms.DateField(label=_("Available from"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def to_input(self) -> services.UnitInput:
        return services.UnitInput(**self.cleaned_data)


class AllocationForm(forms.Form):
    household = forms.ChoiceField(label=_("Household"), choices=[])
    from_date = forms.DateField(label=_("From"), widget=DATE)
    to_date = forms.DateField(
        label=_("To"), widget=DATE, required=False, help_text=_("Leave empty until further notice.")
    )

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "—")] + [
            (str(row["household_id"]), f"{row['principal'].full_name} ({len(row['persons'])})")
            for row in households
        ]


class EndAllocationForm(forms.Form):
    to_date = forms.DateField(label=_("Moved out on"), widget=DATE)


class SupportForm(forms.Form):
    granted_on = forms.DateField(label=_("Granted on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (NOK)"), min_value=0, **MONEY)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)


class GuidanceForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind of guidance"), choices=GuidanceKind.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
