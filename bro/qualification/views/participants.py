"""The participant's case: list, overview, and the adviser's forms (open, assign, mapping, goals, plan,
start, end, status one year after), plus the person's training history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bro.core.forms import apply_errors, save_valid
from bro.people import selectors as people_selectors
from bro.qualification import forms, permissions, rules, selectors, services
from bro.qualification.models import FORMAL_COMPETENCE_MEASURES, MeasureKind


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


def _case(request, participant_id, *, manage: bool = False):
    participant = selectors.get_participant(request.user, participant_id)
    if manage and not permissions.can_manage_case(request.user, participant):
        raise PermissionDenied
    return participant


def _detail(participant):
    return redirect("qualification:participant_detail", participant.pk)


def _stage(participant) -> str:
    if participant.ended_on:
        return _("Ended")
    if participant.programme_start:
        return _("In programme")
    if participant.plan_versions.exists():
        return _("Planned")
    return _("Mapping")


@login_required
@require_safe
def participant_list(request):
    user = request.user
    if not permissions.adviser_municipalities(user) and not permissions.teaching_organisations(user):
        raise PermissionDenied
    mine = request.GET.get("mine") == "1"
    include_ended = request.GET.get("ended") == "1"
    rows = selectors.list_participants(user, include_ended=include_ended, mine=mine)
    return render(
        request,
        "qualification/participant_list.html",
        {
            "rows": [(p, _stage(p)) for p in rows],
            "mine": mine,
            "include_ended": include_ended,
            "is_adviser": bool(permissions.adviser_municipalities(user)),
        },
    )


@login_required
@require_safe
def participant_detail(request, participant_id):
    participant = _case(request, participant_id)
    today = timezone.localdate()
    plan = selectors.current_plan(participant)
    mapping = getattr(participant, "mapping", None)
    return render(
        request,
        "qualification/participant_detail.html",
        {
            "participant": participant,
            "person": participant.person,
            "stage": _stage(participant),
            "deadlines": selectors.case_deadlines(participant, today),
            "plan": plan,
            "plan_count": participant.plan_versions.count(),
            "mapping": mapping,
            "education": list(mapping.education.all()) if mapping else [],
            "work": list(mapping.work.all()) if mapping else [],
            "can_manage": permissions.can_manage_case(request.user, participant),
            "can_record": permissions.can_record_attendance(request.user, participant),
            "is_adviser_here": participant.municipality_id
            in {o.id for o in permissions.adviser_municipalities(request.user)},
        },
    )


def _form_page(request, participant, form, save, *, title: str, intro: str = "", done: str, extra=None):
    saved = []
    if save_valid(request, form, lambda data: saved.append(save(data))):
        messages.success(request, done)
        return _detail(participant)
    context = {"participant": participant, "form": form, "title": title, "intro": intro, **(extra or {})}
    status = 400 if request.method == "POST" else 200
    return render(request, "qualification/form_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def open_case(request, person_id):
    person, _access = people_selectors.get_person(request.user, person_id)
    municipality = permissions.can_open_case(request.user, person)
    if municipality is None:
        raise PermissionDenied
    form = forms.AssignForm(
        request.POST or None, municipality=municipality, initial={"adviser": request.user}
    )
    created = []

    def save(data):
        created.append(
            services.open_case(
                _actor(request), person, adviser=data["adviser"], adult_education=data["adult_education"]
            )
        )

    if save_valid(request, form, save):
        messages.success(request, _("The programme case is opened. Start with the competence mapping."))
        return _detail(created[0])
    return render(
        request,
        "qualification/open_case.html",
        {"person": person, "municipality": municipality, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, participant_id):
    participant = _case(request, participant_id, manage=True)
    form = forms.AssignForm(
        request.POST or None,
        municipality=participant.municipality,
        initial={"adviser": participant.adviser, "adult_education": participant.adult_education},
    )
    return _form_page(
        request,
        participant,
        form,
        lambda d: services.assign(
            _actor(request), participant, adviser=d["adviser"], adult_education=d["adult_education"]
        ),
        title=_("Adviser and adult education"),
        done=_("Saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request, participant_id):
    participant = _case(request, participant_id, manage=True)
    current = participant.mapping
    post = request.POST if request.method == "POST" else None
    form = forms.MappingForm(
        post,
        initial={
            "completed_on": current.completed_on,
            "norwegian_level": current.norwegian_level,
            "skills": current.skills,
            "career_guidance": current.career_guidance,
            "health_limitations": current.health_limitations,
            "health_consent_on": current.health_consent_on,
        },
    )
    education = forms.EducationFormSet(
        post,
        prefix="education",
        initial=[
            {
                "level": e.level,
                "country": e.country,
                "field": e.field,
                "years": e.years,
                "recognition": e.recognition,
            }
            for e in current.education.all()
        ],
    )
    work = forms.WorkFormSet(
        post,
        prefix="work",
        initial=[
            {"occupation": w.occupation, "country": w.country, "years": w.years} for w in current.work.all()
        ],
    )
    if post is not None and form.is_valid() and education.is_valid() and work.is_valid():
        data = form.cleaned_data
        try:
            services.save_mapping(
                _actor(request),
                participant,
                services.MappingInput(
                    completed_on=data["completed_on"],
                    skills=data["skills"],
                    norwegian_level=data["norwegian_level"],
                    career_guidance=data["career_guidance"],
                    health_limitations=data["health_limitations"],
                    health_consent_on=data["health_consent_on"],
                    education=[
                        services.EducationInput(
                            level=e["level"],
                            country=e["country"],
                            field=e["field"],
                            years=e["years"],
                            recognition=e["recognition"] or "not_applied",
                        )
                        for e in education.cleaned_data
                        if e.get("level")
                    ],
                    work=[
                        services.WorkInput(occupation=w["occupation"], years=w["years"], country=w["country"])
                        for w in work.cleaned_data
                        if w.get("occupation")
                    ],
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The competence mapping is saved."))
            return _detail(participant)
    return render(
        request,
        "qualification/mapping.html",
        {"participant": participant, "form": form, "education": education, "work": work},
        status=400 if post is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goals(request, participant_id):
    participant = _case(request, participant_id, manage=True)
    form = forms.GoalsForm(
        request.POST or None,
        initial={
            "final_goal": participant.final_goal,
            "final_goal_text": participant.final_goal_text,
            "norwegian_goal": participant.norwegian_goal,
            "integration_contract_signed": participant.integration_contract_signed,
            "extension": participant.extension,
        },
    )
    return _form_page(
        request,
        participant,
        form,
        lambda d: services.set_goals(_actor(request), participant, **d),
        title=_("Goals and integration contract"),
        intro=_(
            "The final goal and the Norwegian goal are agreed with the participant in the integration contract."
        ),
        done=_("Goals saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, participant_id):
    participant = _case(request, participant_id)
    can_manage = permissions.can_manage_case(request.user, participant)
    versions = selectors.plan_versions(participant)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    post = request.POST if request.method == "POST" else None
    current = versions[0] if versions else None
    initial = [
        {
            "key": str(m.key),
            "kind": m.kind,
            "provider": m.provider,
            "hours_per_week": m.hours_per_week,
            "days_per_week": m.days_per_week,
            "start": m.start,
            "end": m.end,
        }
        for m in (current.measures.all() if current else [])
    ]
    form = forms.PlanForm(post, initial={"valid_from": timezone.localdate()})
    measures = forms.MeasureFormSet(post, prefix="measures", initial=initial)
    if post is not None and form.is_valid() and measures.is_valid():
        rows = [
            services.MeasureInput(
                kind=m["kind"],
                hours_per_week=m["hours_per_week"],
                start=m["start"],
                end=m["end"],
                provider=m["provider"],
                days_per_week=m["days_per_week"],
                key=m["key"] or None,
            )
            for m in measures.cleaned_data
            if m.get("kind")
        ]
        try:
            services.save_plan(
                _actor(request),
                participant,
                rows,
                valid_from=form.cleaned_data["valid_from"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("A new version of the plan is saved; earlier versions are kept."))
            return _detail(participant)
    return render(
        request,
        "qualification/plan.html",
        {
            "participant": participant,
            "form": form,
            "measures": measures,
            "versions": versions,
            "can_manage": can_manage,
            "formal_kinds": [MeasureKind(k).label for k in sorted(FORMAL_COMPETENCE_MEASURES)],
        },
        status=400 if post is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request, participant_id):
    participant = _case(request, participant_id, manage=True)
    deadline = rules.programme_start_deadline(participant.settlement_date)
    form = forms.StartForm(request.POST or None, initial={"on": timezone.localdate()})
    return _form_page(
        request,
        participant,
        form,
        lambda d: services.start_programme(
            _actor(request), participant, on=d["on"], delay_cause=d["delay_cause"], note=d["note"]
        ),
        title=_("Programme start"),
        intro=_(
            "The programme must start within 3 months of settlement, here by %(due)s. A later start is "
            "recorded as a deviation with its cause."
        )
        % {"due": deadline.due.strftime("%d.%m.%Y")},
        done=_("The programme start is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def end(request, participant_id):
    participant = _case(request, participant_id, manage=True)
    form = forms.EndForm(request.POST or None, initial={"on": timezone.localdate()})
    return _form_page(
        request,
        participant,
        form,
        lambda d: services.end_programme(_actor(request), participant, on=d["on"], reason=d["reason"]),
        title=_("End of the programme"),
        intro=_("The end reason is registered nationally. The participant certificate can then be printed."),
        done=_("The end of the programme is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def one_year(request, participant_id):
    participant = _case(request, participant_id)
    if participant.municipality_id not in {o.id for o in permissions.adviser_municipalities(request.user)}:
        raise PermissionDenied
    form = forms.OneYearForm(
        request.POST or None,
        initial={
            "status": participant.one_year_status or None,
            "weekly_work_hours": participant.one_year_weekly_work_hours,
            "recorded_on": timezone.localdate(),
        },
    )
    return _form_page(
        request,
        participant,
        form,
        lambda d: services.record_one_year_status(
            _actor(request),
            participant,
            status=d["status"],
            weekly_work_hours=d["weekly_work_hours"],
            recorded_on=d["recorded_on"],
        ),
        title=_("Status one year after the programme"),
        intro=_(
            "Counted towards the national target of 70 per cent in work or education. Record the weekly hours: "
            "a job of one hour a week also counts."
        ),
        done=_("The status one year after is recorded."),
    )


@login_required
@require_safe
def training_history(request, person_id):
    person, _access = people_selectors.get_person(request.user, person_id)
    history = selectors.training_history(request.user, person)
    return render(request, "qualification/training_history.html", {"person": person, "history": history})
