from django import forms
from django.utils.translation import gettext_lazy as _

from bro.settlement.matchingruns.models import MatchingProposalStatus
from bro.settlement.matchingruns.services import TIME_LIMITS


class StartRunForm(forms.Form):
    time_limit = forms.TypedChoiceField(
        label=_("Time limit for the solver"),
        choices=[(s, _("%(seconds)d seconds") % {"seconds": s}) for s in TIME_LIMITS],
        coerce=int,
        initial=60,
        help_text=_(
            "The run stops improving the assignment after this time and reports its gap to the bound."
        ),
    )


class ApproveForm(forms.Form):
    """Approve the ticked proposals, or every open proposal of the run at once."""

    action = forms.ChoiceField(choices=[("selected", "selected"), ("all", "all")])
    proposals = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_ids = [
            str(pk)
            for pk in proposals.filter(status=MatchingProposalStatus.OPEN).values_list("pk", flat=True)
        ]
        self.fields["proposals"].choices = [(pk, pk) for pk in self.open_ids]

    def clean(self):
        data = super().clean()
        if data.get("action") == "selected" and not data.get("proposals"):
            raise forms.ValidationError(_("Tick at least one proposal to approve, or approve all."))
        return data

    def chosen_ids(self) -> list[str]:
        if self.cleaned_data["action"] == "all":
            return self.open_ids
        return list(self.cleaned_data["proposals"])
