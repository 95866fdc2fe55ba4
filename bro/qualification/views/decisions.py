"""Pages for a case's decisions and appeals, the decision letters and the participant certificate.

Read access through the selectors (404 unless the case is readable); writes only for those who manage the
case (403 otherwise). A refused form is shown again with its errors (400) and nothing is saved.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from bro.core.forms import save_valid
from bro.qualification import decisions, permissions, rules, selectors
from bro.qualification.models import AppealOutcome, DecisionKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of decision"), choices=DecisionKind.choices)
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DATE, initial=timezone.localdate)
    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DATE)
    effective_to = forms.DateField(
        label=gettext_lazy("Effective to"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Required for leave: the last day of the leave."),
    )
    outcome_text = forms.CharField(
        label=gettext_lazy("Decision"),
        widget=TEXT,
        max_length=5000,
        help_text=gettext_lazy("What is decided, in plain words: this is printed in the letter."),
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"),
        widget=TEXT,
        max_length=5000,
        help_text=gettext_lazy("The facts and considerations the decision rests on."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the letter"), initial="nb")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES


class AppealForm(forms.Form):
    received_on = forms.DateField(
        label=gettext_lazy("Appeal received on"), widget=DATE, initial=timezone.localdate
    )
    grounds = forms.CharField(label=gettext_lazy("Grounds given"), widget=TEXT, max_length=5000)


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[(v, label) for v, label in AppealOutcome.choices if v != AppealOutcome.PENDING],
    )
    outcome_on = forms.DateField(label=gettext_lazy("Outcome on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=gettext_lazy("Note"), widget=TEXT, max_length=2000, required=False)


def _actor(request) -> decisions.Actor:
    return decisions.Actor(user=request.user, channel="web")


def _appeal_prefix(decision) -> str:
    return f"appeal-{decision.pk.hex[:12]}"


def _outcome_prefix(appeal) -> str:
    return f"outcome-{appeal.pk.hex[:12]}"


def _page(request, participant, *, decision_form=None, bound=None, status=200):
    """The decisions page; ``bound`` is a refused small form to show again in its place."""
    can_manage = permissions.can_manage_case(request.user, participant)
    rows = decisions.decisions_for(request.user, participant)
    bound = bound or {}
    for decision in rows:
        decision.appeal_form = None
        if can_manage:
            prefix = _appeal_prefix(decision)
            decision.appeal_form = bound.get(prefix) or AppealForm(prefix=prefix)
        for appeal in decision.appeal_list:
            appeal.outcome_form = None
            if can_manage and appeal.is_open:
                prefix = _outcome_prefix(appeal)
                appeal.outcome_form = bound.get(prefix) or AppealOutcomeForm(prefix=prefix)
    if can_manage and participant.is_open and decision_form is None:
        decision_form = DecisionForm(prefix="decision")
    leave = decisions.leave_periods(participant)
    return render(
        request,
        "qualification/decisions/decisions.html",
        {
            "participant": participant,
            "person": participant.person,
            "decisions": rows,
            "can_manage": can_manage,
            "decision_form": decision_form if can_manage and participant.is_open else None,
            "leave_periods": leave,
            "leave_days": rules.leave_days(leave),
            "programme_end": decisions.programme_end(participant),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_list(request, participant_id: uuid.UUID):
    """The case's decisions and appeals, and (for those who manage the case) a form for a new decision."""
    participant = selectors.get_participant(request.user, participant_id, summary="decisions")
    if request.method != "POST":
        return _page(request, participant)
    if not permissions.can_manage_case(request.user, participant):
        raise PermissionDenied
    form = DecisionForm(request.POST, prefix="decision")

    def save(data):
        decisions.create_decision(
            _actor(request),
            participant,
            kind=data["kind"],
            decided_on=data["decided_on"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
            outcome_text=data["outcome_text"],
            reasons=data["reasons"],
            language=data["language"],
        )

    if save_valid(request, form, save):
        messages.success(request, _("The decision was made and its letter is ready to download."))
        return redirect("qualification:decisions", participant.pk)
    return _page(request, participant, decision_form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal_create(request, decision_id: uuid.UUID):
    decision = decisions.get_decision(request.user, decision_id, summary="appeal")
    participant = decision.participant
    if request.method != "POST":  # a refused form was shown at this address: reloads go to the page
        return redirect("qualification:decisions", participant.pk)
    if not permissions.can_manage_case(request.user, participant):
        raise PermissionDenied
    prefix = _appeal_prefix(decision)
    form = AppealForm(request.POST, prefix=prefix)

    def save(data):
        decisions.record_appeal(
            _actor(request), decision, received_on=data["received_on"], grounds=data["grounds"]
        )

    if save_valid(request, form, save):
        messages.success(request, _("The appeal was recorded."))
        return redirect("qualification:decisions", participant.pk)
    return _page(request, participant, bound={prefix: form}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal_outcome(request, appeal_id: uuid.UUID):
    appeal = decisions.get_appeal(request.user, appeal_id)
    participant = appeal.decision.participant
    if request.method != "POST":
        return redirect("qualification:decisions", participant.pk)
    if not permissions.can_manage_case(request.user, participant):
        raise PermissionDenied
    prefix = _outcome_prefix(appeal)
    form = AppealOutcomeForm(request.POST, prefix=prefix)

    def save(data):
        decisions.record_appeal_outcome(
            _actor(request), appeal, outcome=data["outcome"], outcome_on=data["outcome_on"], note=data["note"]
        )

    if save_valid(request, form, save):
        messages.success(request, _("The outcome of the appeal was recorded."))
        return redirect("qualification:decisions", participant.pk)
    return _page(request, participant, bound={prefix: form}, status=400)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def decision_letter(request, decision_id: uuid.UUID):
    """The letter as it was sent. The file name says what it is, never who it is about."""
    decision, data = decisions.decision_letter(request.user, decision_id)
    return _pdf_response(data, f"decision-{decision.kind}-{decision.decided_on.isoformat()}.pdf")


@login_required
@require_safe
def certificate(request, participant_id: uuid.UUID):
    """The participant certificate (bokmål; ``?lang=en`` for English), once the programme has ended."""
    participant = selectors.get_participant(request.user, participant_id, summary="participant certificate")
    language = request.GET.get("lang", "nb")
    try:
        data = decisions.certificate_pdf(request.user, participant, language=language)
    except ValidationError as exc:
        return render(
            request,
            "qualification/decisions/certificate_unavailable.html",
            {"participant": participant, "person": participant.person, "message": exc.messages[0]},
            status=404,
        )
    return _pdf_response(data, f"participant-certificate-{participant.ended_on.isoformat()}.pdf")


urlpatterns = [
    path("participants/<uuid:participant_id>/decisions/", decision_list, name="decisions"),
    path("participants/<uuid:participant_id>/certificate/", certificate, name="certificate"),
    path("decisions/<uuid:decision_id>/letter/", decision_letter, name="decision_letter"),
    path("decisions/<uuid:decision_id>/appeals/", appeal_create, name="appeal_create"),
    path("appeals/<uuid:appeal_id>/outcome/", appeal_outcome, name="appeal_outcome"),
]
