"""What runs each job: one handler per job type, called by the queue's worker."""

from __future__ import annotations

from blog.queue.jobs import WelcomeEmailJob
from blog.queue.mail import Mailer, OutgoingMail


class WelcomeEmailHandler:
    def __init__(self, mailer: Mailer) -> None:
        self._mailer = mailer

    def __call__(self, job: WelcomeEmailJob) -> None:
        self._mailer.send(
            OutgoingMail(
                to=job.email,
                subject="Welcome to the blog",
                body=f"Hi {job.display_name},\n\nyour account is ready. Happy writing!\n",
            )
        )
