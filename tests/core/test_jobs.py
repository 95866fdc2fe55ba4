"""The background-job interface (bro/core/jobs.py): runners, progress, failure, access, pages."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from bro.core import jobs
from bro.core.models import Job, JobStatus
from bro.core.roles import Role
from tests.conftest import make_user

CALLS = []


def counting_job(job, *, steps=3, url=""):
    for step in range(steps):
        jobs.progress(job, step + 1, steps, f"step {step + 1}")
    CALLS.append(job.pk)
    return {"steps": steps, "url": url}


def failing_job(job):
    jobs.progress(job, 1, 2, "half way")
    raise RuntimeError("the solver gave up")


@pytest.fixture
def eager(settings):
    settings.BRO_JOBS_RUNNER = "eager"


def test_eager_job_runs_reports_progress_and_stores_its_result(chain, users, eager):
    job = jobs.submit(
        "test.count",
        "tests.core.test_jobs.counting_job",
        user=users[Role.NATIONAL_SETTLEMENT_OFFICER],
        organisation=chain.directorate,
        params={"steps": 4, "url": "/somewhere/"},
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result == {"steps": 4, "url": "/somewhere/"}
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert job.message == "step 4"
    assert job.result_url == "/somewhere/"
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at


def test_a_failing_job_is_marked_failed_with_its_error_and_keeps_its_progress(chain, users, eager):
    job = jobs.submit(
        "test.fail", "tests.core.test_jobs.failing_job", user=None, organisation=chain.directorate
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "the solver gave up" in job.error
    assert (job.progress_done, job.progress_total) == (1, 2)
    assert job.result_url == ""


def test_an_unknown_target_is_refused_before_anything_is_stored(chain, eager):
    with pytest.raises(ImportError):
        jobs.submit(
            "test.none", "tests.core.test_jobs.no_such_function", user=None, organisation=chain.directorate
        )
    assert not Job.objects.exists()


def test_worker_runner_leaves_jobs_queued_until_the_queue_is_worked(chain, settings):
    settings.BRO_JOBS_RUNNER = "worker"
    first = jobs.submit(
        "test.count", "tests.core.test_jobs.counting_job", user=None, organisation=chain.directorate
    )
    second = jobs.submit(
        "test.count",
        "tests.core.test_jobs.counting_job",
        user=None,
        organisation=chain.directorate,
        params={"steps": 1},
    )
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.QUEUED}
    CALLS.clear()
    assert jobs.work_queue(once=True) == 2
    assert [first.pk, second.pk] == CALLS  # oldest first
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}
    assert jobs.work_queue(once=True) == 0  # a done job is never run again


def test_an_unknown_runner_setting_is_a_clear_error(chain, settings):
    settings.BRO_JOBS_RUNNER = "celery"
    with pytest.raises(ValueError, match="BRO_JOBS_RUNNER"):
        jobs.submit(
            "test.count", "tests.core.test_jobs.counting_job", user=None, organisation=chain.directorate
        )


@pytest.mark.django_db(transaction=True)
def test_thread_runner_runs_the_job_after_the_request_commits(chain, settings):
    settings.BRO_JOBS_RUNNER = "thread"
    job = jobs.submit(
        "test.count", "tests.core.test_jobs.counting_job", user=None, organisation=chain.directorate
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    assert job.status == JobStatus.DONE
    assert job.result == {"steps": 3, "url": ""}


def test_a_running_job_without_heartbeat_for_long_is_shown_as_interrupted(chain):
    job = Job.objects.create(kind="x", target="x", organisation=chain.directorate, status=JobStatus.RUNNING)
    job.heartbeat_at = timezone.now() - jobs.STALE_AFTER - datetime.timedelta(seconds=1)
    assert jobs.is_interrupted(job)
    job.heartbeat_at = timezone.now()
    assert not jobs.is_interrupted(job)


def test_job_pages_are_for_the_starter_and_their_organisation_only(client, chain, users, eager):
    officer = users[Role.NATIONAL_SETTLEMENT_OFFICER]
    job = jobs.submit(
        "test.count",
        "tests.core.test_jobs.counting_job",
        user=officer,
        organisation=chain.directorate,
        params={"url": reverse("core:notifications")},
    )
    colleague = make_user("imdi2", chain.directorate, Role.NATIONAL_SETTLEMENT_OFFICER)
    client.force_login(colleague)
    response = client.get(reverse("core:job", args=[job.pk]))
    assert response.status_code == 302 and response.url == reverse("core:notifications")
    page = client.get(reverse("core:job", args=[job.pk]) + "?stay=1")
    assert page.status_code == 200 and 'value="100"' in page.content.decode()
    fragment = client.get(reverse("core:job_progress", args=[job.pk]))
    assert fragment["HX-Redirect"] == reverse("core:notifications")
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])  # another organisation
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_progress", args=[job.pk])).status_code == 404


def test_a_running_job_page_polls_its_progress(client, chain, users):
    job = Job.objects.create(
        kind="x",
        target="x",
        organisation=chain.directorate,
        status=JobStatus.RUNNING,
        progress_done=1,
        progress_total=4,
        message="Finding the best assignment",
        heartbeat_at=timezone.now(),
    )
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    html = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="25"' in html
    assert "Finner den beste fordelingen" in html  # stored in English, shown in the reader's language
    assert "HX-Redirect" not in client.get(reverse("core:job_progress", args=[job.pk]))
