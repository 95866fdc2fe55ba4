"""Run queued background jobs (``BRO_JOBS_RUNNER=worker``); any number of these may run at once."""

from django.core.management.base import BaseCommand

from bro.core import jobs


class Command(BaseCommand):
    help = "Run queued background jobs, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks at an empty queue")

    def handle(self, *args, once=False, poll=2.0, **options):
        ran = jobs.work_queue(once=once, poll_seconds=poll)
        self.stdout.write(f"{ran} job(s) run")
