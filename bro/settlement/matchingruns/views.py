"""Matching-run pages: start a run, follow it, read the proposals with their reasons, approve them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bro.core import jobs
from bro.people.services import Actor
from bro.settlement.matchingruns import selectors, services
from bro.settlement.matchingruns.forms import ApproveForm, StartRunForm
from bro.settlement.matchingruns.models import MatchingProposalStatus

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request):
    runs = selectors.runs(request.user)
    form = StartRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_run(
                Actor(request.user),
                year=timezone.localdate().year,
                time_limit=form.cleaned_data["time_limit"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("core:job", job_id=run.job_id)
    page = Paginator(runs, 20).get_page(request.GET.get("page", 1))
    for run in page:
        run.interrupted = run.job is not None and jobs.is_interrupted(run.job)
    return render(request, "matchingruns/run_list.html", {"page": page, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def run_detail(request, run_id):
    run = selectors.get_run(request.user, run_id)
    if run.result is None:
        return redirect("core:job", job_id=run.job_id) if run.job_id else redirect("matchingruns:runs")
    status = request.GET.get("status", "")
    if status not in MatchingProposalStatus.values:
        status = ""
    proposals = selectors.proposals(request.user, run, status=status)
    form = ApproveForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_ids()
        approved, failed = services.approve(Actor(request.user), run, chosen)
        if approved:
            messages.success(
                request,
                _("%(count)d proposals were sent to the municipalities.") % {"count": len(approved)},
            )
        if failed:
            messages.warning(
                request, _("%(count)d could not be proposed; see the reasons below.") % {"count": len(failed)}
            )
        return redirect(request.get_full_path())
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page", 1))
    selectors.log_shown(request.user, run, list(page))
    numbers = [a["municipality"] for p in page for a in p.alternatives]
    numbers += [e for p in page for r in p.ruled_out for e in r["examples"]]
    names = selectors.municipality_names(numbers)
    result = run.result
    unassigned = selectors.unassigned(request.user, run)
    return render(
        request,
        "matchingruns/run_detail.html",
        {
            "run": run,
            "page": page,
            "form": form,
            "status": status,
            "names": names,
            "unassigned": unassigned,
            "binding": result.get("binding_constraints", []),
            "left_out": result.get("left_out", []),
            "open_count": run.proposals.filter(status=MatchingProposalStatus.OPEN).count(),
            "statuses": MatchingProposalStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET"])
def run_file(request, run_id, part):
    """The run's input (``bro-matching/1``, docs/matching-format.md) or result as a JSON download, to
    solve again from the command line or to compare methods."""
    run = selectors.get_run(request.user, run_id)
    data = run.instance if part == "instance" else run.result
    if data is None or part not in ("instance", "result"):
        raise Http404
    selectors.log_file(request.user, run, part)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="matching-{run.pk}-{part}.json"'
    return response
