from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bro.core.models import AuditAction, Organisation
from bro.core.roles import CentreType, OperatorKind, OrganisationKind, Role


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    municipality_number = forms.CharField(
        label=_("Municipality number"),
        max_length=4,
        required=False,
        help_text=_(
            "Four digits, e.g. 5503 for Harstad. For a municipality: its own number; "
            "for others: where it is located."
        ),
    )
    organisation_number = forms.CharField(label=_("Organisation number"), max_length=11, required=False)
    is_host_municipality = forms.BooleanField(
        label=_("Host municipality (has reception centres)"), required=False
    )
    is_settlement_municipality = forms.BooleanField(label=_("Settlement municipality"), required=False)
    operator_kind = forms.ChoiceField(
        label=_("Operator (reception centres)"), choices=[("", "—"), *OperatorKind.choices], required=False
    )
    centre_type = forms.ChoiceField(
        label=_("Centre type (reception centres)"), choices=[("", "—"), *CentreType.choices], required=False
    )
    requires_two_factor = forms.BooleanField(label=_("Staff must use two-factor login"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("At least 12 characters."),
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("Username"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All")), *AuditAction.choices], required=False
    )
    person = forms.UUIDField(label=_("Person (record id)"), required=False)
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the six digits shown in the app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def save_valid(request, form: forms.Form, save) -> bool:
    """On a valid POST, ``save(cleaned_data)`` writes through a service. A service's ValidationError lands
    on the form and nothing is saved. True when it was saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True
