"""One small interface for long work: submit a job, report progress, show it on a page.

``submit`` stores a ``Job`` and hands it to the runner named by ``settings.BRO_JOBS_RUNNER``:

- ``"thread"`` (default): a background thread in the web process, started once the submitting
  transaction commits. Needs no extra server, which suits ``make run`` and small installations.
- ``"worker"``: the job stays queued until ``python manage.py run_jobs`` (any number of processes)
  picks it up, for installations that scale workers separately.
- ``"eager"``: runs at once in the caller, for tests and command-line use.

A job whose heartbeat (its last progress report) is older than ``STALE_AFTER`` while running is shown as
interrupted: the process that ran it has died, and the user may start the work again.

See docs/decisions/0012-background-jobs.md.
"""

from __future__ import annotations

import datetime
import logging
import threading
import traceback

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from bro.core.models import Job, JobStatus, Organisation, User

log = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=10)
RUNNERS = ("thread", "worker", "eager")


def runner() -> str:
    name = getattr(settings, "BRO_JOBS_RUNNER", "thread")
    if name not in RUNNERS:
        raise ValueError(f"BRO_JOBS_RUNNER must be one of {RUNNERS}, not {name!r}")
    return name


def submit(
    kind: str, target: str, *, user: User | None, organisation: Organisation, params: dict | None = None
) -> Job:
    """Queue ``target(job, **params)`` and start it with the configured runner."""
    import_string(target)  # fail now, in the request, if the target does not exist
    job = Job.objects.create(
        kind=kind, target=target, params=params or {}, created_by=user, organisation=organisation
    )
    mode = runner()
    if mode == "eager":
        run(job.pk)
        job.refresh_from_db()
    elif mode == "thread":
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), name=f"bro-job-{job_id}", daemon=True).start()


def _run_in_thread(job_id) -> None:
    try:
        run(job_id)
    finally:
        connection.close()


def _claim(job_id) -> Job | None:
    """Move a queued job to running; None when someone else already took it."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    return Job.objects.get(pk=job_id) if claimed else None


def run(job_id) -> None:
    """Run one queued job to its end; its outcome is stored on the job, never raised."""
    job = _claim(job_id)
    if job is None:
        return
    try:
        result = import_string(job.target)(job, **job.params) or {}
    except Exception as exc:  # noqa: BLE001 — any failure ends the job, the worker goes on
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error="".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000],
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        result=result,
        progress_done=job.progress_total or 1,
        progress_total=job.progress_total or 1,
        finished_at=timezone.now(),
    )


def progress(job: Job, done: int, total: int, message: str = "") -> None:
    """Report progress: ``done`` of ``total`` steps, with a short message (no personal data)."""
    job.progress_done, job.progress_total, job.message = max(0, done), max(0, total), message[:300]
    Job.objects.filter(pk=job.pk).update(
        progress_done=job.progress_done,
        progress_total=job.progress_total,
        message=job.message,
        heartbeat_at=timezone.now(),
    )


def is_interrupted(job: Job) -> bool:
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    return timezone.now() - job.heartbeat_at > STALE_AFTER


def get_for_user(user: User, job_id) -> Job | None:
    """The job if ``user`` started it or belongs to its organisation; None otherwise."""
    from bro.core.policy import memberships

    job = Job.objects.filter(pk=job_id).select_related("organisation").first()
    if job is None:
        return None
    if job.created_by_id == user.pk or any(
        m.organisation_id == job.organisation_id for m in memberships(user)
    ):
        return job
    return None


def work_queue(*, once: bool = False, poll_seconds: float = 2.0, stop: threading.Event | None = None) -> int:
    """Run queued jobs, oldest first; with ``once``, stop when the queue is empty. Returns jobs run."""
    ran = 0
    stop = stop or threading.Event()
    while not stop.is_set():
        if not connection.in_atomic_block:  # a long-running worker: drop broken or stale connections
            close_old_connections()
        next_id = (
            Job.objects.filter(status=JobStatus.QUEUED)
            .order_by("created_at")
            .values_list("pk", flat=True)
            .first()
        )
        if next_id is None:
            if once:
                break
            stop.wait(poll_seconds)
            continue
        run(next_id)
        ran += 1
    return ran
