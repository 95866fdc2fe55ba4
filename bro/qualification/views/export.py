"""The NIR export page: choose municipality and period, see the validation report, download the file;
and check an export file uploaded back (docs/nir-export.md)."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from bro.core.forms import apply_errors
from bro.core.models import Organisation
from bro.qualification import nir, permissions

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ExportForm(forms.Form):
    """Municipality and period: a month (default last month) or a from–to range of dates."""

    municipality = forms.UUIDField(label=gettext_lazy("Municipality"), widget=forms.Select)
    month = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
        help_text=gettext_lazy("A whole month, as YYYY-MM. Or leave it empty and give the dates below."),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, municipalities: list[Organisation], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["municipality"].widget.choices = [(str(m.pk), m.name) for m in municipalities]
        if municipalities:
            self.fields["municipality"].initial = str(municipalities[0].pk)
        year, month = nir.last_month(today)
        self.fields["month"].initial = f"{year:04d}-{month:02d}"

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if self.errors:
            return data
        by_dates = bool(first or last)
        if by_dates:
            if not first:
                self.add_error("date_from", _("Give both dates, or a month."))
            if not last:
                self.add_error("date_to", _("Give both dates, or a month."))
            if not (first and last):
                return data
        else:
            found = MONTH.match((data.get("month") or "").strip())
            if not found or not 1 <= int(found[2]) <= 12:
                self.add_error("month", _("Give a month as YYYY-MM, or both dates."))
                return data
            first, last = nir.month_period(int(found[1]), int(found[2]), self.today)
        for code in nir.period_problems(first, last, self.today):
            self.add_error("date_to" if by_dates else "month", nir.MESSAGES[code])
        data["period_start"], data["period_end"] = first, last
        return data


class CheckForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export file (JSON)"),
        help_text=gettext_lazy("A file made on this page, at most 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > nir.MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
        try:
            document = json.loads(upload.read().decode("utf-8-sig"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValidationError(_("The file is not JSON."), code="not_json") from exc
        problem = nir.format_problem(document)
        if problem:
            raise ValidationError(nir.MESSAGES[problem], code=problem)
        return document


def _municipalities(request) -> list[Organisation]:
    found = permissions.adviser_municipalities(request.user)
    if not found:
        raise PermissionDenied
    return found


def _build(request, form: ExportForm) -> dict | None:
    """The export for a valid form, or None with the error on the form. Another municipality: 403."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    municipality = Organisation.objects.filter(pk=data["municipality"]).first()
    if municipality is None or not permissions.can_export(request.user, municipality):
        raise PermissionDenied
    try:
        return nir.build_export(
            request.user, municipality, period_start=data["period_start"], period_end=data["period_end"]
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


def _report(request, document: dict) -> dict:
    issues = nir.validate(document)
    refs = [str(p.get("ref", "")) for p in document.get("participants", []) if isinstance(p, dict)]
    names = nir.case_labels(request.user, refs)
    groups = nir.report_groups(issues, names)
    return {
        "participants": len(document.get("participants", [])),
        "errors": sum(1 for i in issues if i.severity == nir.ERROR),
        "warnings": sum(1 for i in issues if i.severity == nir.WARNING),
        "groups": [
            {
                "ref": g.ref,
                "name": g.name,
                "issues": [{"issue": i, "message": nir.describe(i)} for i in g.issues],
            }
            for g in groups
        ],
        "municipality": document.get("municipality", {}),
        "period": document.get("period", {}),
    }


def _page(request, *, form, check_form, report=None, download=None, checked=False, status=200):
    return render(
        request,
        "qualification/export/export.html",
        {"form": form, "check_form": check_form, "report": report, "download": download, "checked": checked},
        status=status,
    )


@login_required
@require_safe
def export(request):
    """The form; once submitted (GET), the validation report of the export and the link to download it."""
    municipalities = _municipalities(request)
    today = timezone.localdate()
    submitted = "municipality" in request.GET
    form = ExportForm(request.GET if submitted else None, municipalities=municipalities, today=today)
    check_form = CheckForm()
    if not submitted:
        return _page(request, form=form, check_form=check_form)
    document = _build(request, form)
    if document is None:
        return _page(request, form=form, check_form=check_form, status=400)
    query = urlencode({k: request.GET.get(k, "") for k in ExportForm.base_fields})
    return _page(
        request,
        form=form,
        check_form=check_form,
        report=_report(request, document),
        download={"query": query, "name": nir.file_name(document)},
    )


@login_required
@require_safe
def export_file(request):
    """The export as a JSON attachment, bro-nir-<municipality number>-<from>-<to>.json."""
    municipalities = _municipalities(request)
    form = ExportForm(request.GET, municipalities=municipalities, today=timezone.localdate())
    document = _build(request, form)
    if document is None:
        return _page(request, form=form, check_form=CheckForm(), status=400)
    nir.record_handover(
        request.user, Organisation.objects.get(pk=form.cleaned_data["municipality"]), document
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{nir.file_name(document)}"'
    return response


@login_required
@require_POST
def export_check(request):
    """Validate an uploaded export file; nothing is stored."""
    municipalities = _municipalities(request)
    form = ExportForm(municipalities=municipalities, today=timezone.localdate())
    check_form = CheckForm(request.POST, request.FILES)
    if not check_form.is_valid():
        return _page(request, form=form, check_form=check_form, status=400)
    report = _report(request, check_form.cleaned_data["file"])
    return _page(request, form=form, check_form=CheckForm(), report=report, checked=True)


urlpatterns = [
    path("export/", export, name="export"),
    path("export/file/", export_file, name="export_file"),
    path("export/check/", export_check, name="export_check"),
]
