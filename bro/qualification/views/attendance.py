"""Attendance pages: the user's teaching groups, a group's members, a whole group's week on one page, a
participant's weeks and tests, and the introduction benefit month by month."""

from __future__ import annotations

import datetime
import re
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core.forms import save_valid
from bro.qualification import attendance as att
from bro.qualification import permissions
from bro.qualification.models import CefrLevel, MeasureKind, TestKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _hours(label):
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=4,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )


class GroupForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    name = forms.CharField(label=gettext_lazy("Name of the group"), max_length=120)
    measure_kind = forms.ChoiceField(
        label=gettext_lazy("Measure"), choices=MeasureKind.choices, initial=MeasureKind.NORWEGIAN
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.id): o for o in organisations}
        self.fields["organisation"].choices = [(k, o.name) for k, o in self.organisations.items()]
        if len(self.organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = next(iter(self.organisations))


class WeekChoiceForm(forms.Form):
    iso_year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    iso_week = forms.IntegerField(label=gettext_lazy("Week"), min_value=1, max_value=53)


class RowForm(forms.Form):
    hours_attended = _hours(gettext_lazy("Hours attended"))
    valid_absence_hours = _hours(gettext_lazy("Absence with valid reason"))
    unexcused_absence_hours = _hours(gettext_lazy("Unexcused absence"))

    def is_blank(self) -> bool:
        return all(self.cleaned_data.get(name) is None for name in att.HOUR_FIELDS)


class WeekForm(WeekChoiceForm):
    measure = forms.ChoiceField(label=gettext_lazy("Measure"))
    hours_attended = _hours(gettext_lazy("Hours attended"))
    valid_absence_hours = _hours(gettext_lazy("Absence with valid reason (hours)"))
    unexcused_absence_hours = _hours(gettext_lazy("Unexcused absence (hours)"))

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [
            (str(m.key), f"{m.get_kind_display()} ({m.hours_per_week} h)") for m in measures
        ]


class TestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Test"), choices=TestKind.choices)
    taken_on = forms.DateField(label=gettext_lazy("Taken on"), widget=DATE)
    level = forms.ChoiceField(
        label=gettext_lazy("Level"), choices=[("", "—"), *CefrLevel.choices], required=False
    )
    passed = forms.BooleanField(label=gettext_lazy("Passed"), required=False, initial=True)


def _actor(request) -> att.Actor:
    return att.Actor(user=request.user, channel="web")


def _week_label(year: int, week: int) -> str:
    return _("week %(week)s, %(year)s") % {"week": week, "year": year}


# --- groups ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request):
    """The user's groups with member counts and a link to each group's week, and a form for a new group."""
    organisations = permissions.group_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = GroupForm(request.POST or None, organisations=organisations)
    created = []

    def save(data):
        created.append(
            att.create_group(
                _actor(request),
                organisation=form.organisations[data["organisation"]],
                name=data["name"],
                measure_kind=data["measure_kind"],
            )
        )

    if save_valid(request, form, save):
        messages.success(request, _("The group was created. Add its members."))
        return redirect("qualification:group_detail", created[0].pk)
    year, week = att.last_week(timezone.localdate())
    return render(
        request,
        "qualification/attendance/group_list.html",
        {"rows": att.groups_for(request.user), "form": form, "last_week": _week_label(year, week)},
        status=400 if form.errors else 200,
    )


class MemberForm(forms.Form):
    participant = forms.ChoiceField(label=gettext_lazy("Participant"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.pk): p for p in candidates}
        self.fields["participant"].choices = [
            ("", "—"),
            *[
                (k, f"{p.person.full_name} ({p.person.birth_date:%d.%m.%Y})")
                for k, p in self.candidates.items()
            ],
        ]


@login_required
@require_http_methods(["GET", "POST"])
def group_detail(request, group_id: uuid.UUID):
    """A group's members with their measure, to add and remove members."""
    group = att.get_group(request.user, group_id)
    candidates = att.member_candidates(request.user, group)
    form = MemberForm(request.POST or None, candidates=candidates)

    def save(data):
        att.add_member(_actor(request), group, form.candidates[data["participant"]])

    if save_valid(request, form, save):
        messages.success(request, _("The participant was added to the group."))
        return redirect("qualification:group_detail", group.pk)
    return render(
        request,
        "qualification/attendance/group_detail.html",
        {"group": group, "members": att.group_members(request.user, group), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def group_remove(request, group_id: uuid.UUID, participant_id: uuid.UUID):
    group = att.get_group(request.user, group_id)
    member = next((m for m in group.members.all() if m.pk == participant_id), None)
    if member is None:
        messages.error(request, str(att.ERRORS["not_a_member"]))
    else:
        att.remove_member(_actor(request), group, member)
        messages.success(request, _("The participant was removed from the group."))
    return redirect("qualification:group_detail", group.pk)


def _chosen_week(request) -> tuple[int, int, WeekChoiceForm]:
    source = request.POST if request.method == "POST" else request.GET
    default = att.last_week(timezone.localdate())
    form = WeekChoiceForm(
        source if "iso_week" in source else None, initial={"iso_year": default[0], "iso_week": default[1]}
    )
    if form.is_bound and form.is_valid():
        return form.cleaned_data["iso_year"], form.cleaned_data["iso_week"], form
    return *default, form


@login_required
@require_http_methods(["GET", "POST"])
def group_week(request, group_id: uuid.UUID):
    """The whole group's week on one page: one row per member, saved together, all or nothing."""
    group = att.get_group(request.user, group_id)
    year, week, chooser = _chosen_week(request)
    page = att.group_week(request.user, group, iso_year=year, iso_week=week)
    posted = request.POST if request.method == "POST" else None
    rows = []
    for member in page.rows:
        form = None
        if not member.skip and page.week_error is None:
            recorded = member.recorded
            initial = {name: getattr(recorded, name) for name in att.HOUR_FIELDS} if recorded else {}
            form = RowForm(posted, prefix=str(member.participant.pk), initial=initial)
        rows.append({"member": member, "form": form, "error": ""})
    week_errors = [str(att.ERRORS[page.week_error[1]])] if page.week_error else []
    if posted is not None and not week_errors and not (chooser.is_bound and chooser.is_valid()):
        week_errors.append(str(att.ERRORS["week_does_not_exist"]))  # never save to a week not asked for
    if posted is not None and not week_errors:
        sent = [
            r for r in rows if r["form"] is not None and r["form"].is_valid() and not r["form"].is_blank()
        ]
        valid = all(r["form"].is_valid() for r in rows if r["form"] is not None)
        if valid and not sent:
            week_errors.append(_("No hours were entered."))
        elif valid and _save_group_week(request, group, year, week, sent, week_errors):
            messages.success(
                request,
                _("Attendance for %(week)s was saved for %(count)s participants in %(group)s.")
                % {"week": _week_label(year, week), "count": len(sent), "group": group.name},
            )
            url = reverse("qualification:group_week", args=[group.pk])
            return redirect(f"{url}?iso_year={year}&iso_week={week}")
    this_week = timezone.localdate().isocalendar()[:2]
    has_errors = any(r["error"] or (r["form"] is not None and r["form"].errors) for r in rows)
    return render(
        request,
        "qualification/attendance/group_week.html",
        {
            "group": group,
            "page": page,
            "rows": rows,
            "chooser": chooser,
            "week_label": _week_label(year, week),
            "week_errors": week_errors,
            "summary": _summary(week_errors, rows),
            "summary_title": _("Correct these before you go on:"),
            "previous": att.shift_week(year, week, -1),
            "next": att.shift_week(year, week, 1) if att.shift_week(year, week, 1) <= this_week else None,
        },
        status=400 if (posted is not None and (has_errors or week_errors)) else 200,
    )


def _summary(week_errors, rows) -> list[dict]:
    """The error summary for a group's week: the week's errors, then each row's, linked to its input."""
    items = [{"anchor": "", "message": str(e)} for e in week_errors]
    for r in rows:
        form, name = r["form"], r["member"].participant.person.full_name
        if r["error"]:
            items.append({"anchor": form["hours_attended"].auto_id, "message": f"{name}: {r['error']}"})
        for field in form or ():
            for error in field.errors:
                items.append({"anchor": field.auto_id, "message": f"{name}, {field.label}: {error}"})
    return items


ROW_ERROR = re.compile(r"rows-(\d+)-(\w+)")


def _save_group_week(request, group, year, week, sent, week_errors) -> bool:
    """Send the filled-in rows to the service; its errors land on the rows (or the week). True when saved."""
    inputs = [
        att.RowInput(r["member"].participant, **{n: r["form"].cleaned_data[n] for n in att.HOUR_FIELDS})
        for r in sent
    ]
    try:
        att.record_group_week(_actor(request), group, iso_year=year, iso_week=week, rows=inputs)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            if match := ROW_ERROR.fullmatch(name):
                target, field_name = sent[int(match[1])], match[2]
                if field_name in target["form"].fields:
                    target["form"].add_error(field_name, errors)
                else:
                    target["error"] = " ".join(errors)
            else:
                week_errors.extend(errors)
        return False
    return True


# --- one participant ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participant_attendance(request, participant_id: uuid.UUID):
    """The participant's weeks per measure with totals, their tests, and forms to record a week or a test."""
    record = att.participant_attendance(request.user, participant_id)
    participant = record.participant
    which = request.POST.get("form") if request.method == "POST" else None
    if which and not record.can_record:
        raise PermissionDenied
    year, week = att.last_week(timezone.localdate())
    week_form = WeekForm(
        request.POST if which == "week" else None,
        measures=record.plan_measures,
        initial={"iso_year": year, "iso_week": week},
    )
    test_form = TestForm(request.POST if which == "test" else None)

    def save_week(data):
        att.record_week(
            _actor(request),
            participant,
            measure_key=data["measure"],
            iso_year=data["iso_year"],
            iso_week=data["iso_week"],
            **{name: data[name] for name in att.HOUR_FIELDS},
        )

    def save_test(data):
        att.record_test(
            _actor(request),
            participant,
            kind=data["kind"],
            taken_on=data["taken_on"],
            level=data["level"],
            passed=data["passed"],
        )

    if which == "week" and save_valid(request, week_form, save_week):
        messages.success(request, _("The week was recorded."))
        return redirect("qualification:attendance", participant.pk)
    if which == "test" and save_valid(request, test_form, save_test):
        messages.success(request, _("The test result was recorded."))
        return redirect("qualification:attendance", participant.pk)
    return render(
        request,
        "qualification/attendance/participant.html",
        {
            "record": record,
            "participant": participant,
            "week_form": week_form if record.can_record and record.plan_measures else None,
            "test_form": test_form if record.can_record else None,
        },
        status=400 if week_form.errors or test_form.errors else 200,
    )


@login_required
@require_safe
def benefit(request, participant_id: uuid.UUID):
    """The introduction benefit month by month, newest first, each month's reduction explained."""
    participant = att.readable_case(request.user, participant_id)
    months = att.benefit_months(
        request.user, participant, months=att.default_benefit_months(participant, timezone.localdate())
    )
    return render(
        request,
        "qualification/attendance/benefit.html",
        {
            "participant": participant,
            "rows": [
                {
                    "month": m,
                    "label": formats.date_format(datetime.date(m.year, m.month, 1), "YEAR_MONTH_FORMAT"),
                    "explanation": att.explain(m),
                    "money": _money(m),
                }
                for m in months
            ],
        },
    )


def _money(month) -> dict[str, str]:
    names = ("g", "yearly_rate", "gross", "hourly_rate", "reduction", "net")
    return {name: att.format_kroner(getattr(month, name)) for name in names}


urlpatterns = [
    path("groups/", group_list, name="group_list"),
    path("groups/<uuid:group_id>/", group_detail, name="group_detail"),
    path("groups/<uuid:group_id>/attendance/", group_week, name="group_week"),
    path("groups/<uuid:group_id>/members/<uuid:participant_id>/remove/", group_remove, name="group_remove"),
    path("participants/<uuid:participant_id>/attendance/", participant_attendance, name="attendance"),
    path("participants/<uuid:participant_id>/benefit/", benefit, name="benefit"),
]
