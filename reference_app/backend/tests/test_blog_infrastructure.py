"""The pieces around the services: password hashing, the job queue, JSON logging, the rate
limiter and the signing keys."""

from __future__ import annotations

import json
import logging
import stat
import sys
import threading
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from blog.bootstrap.json_logging import JsonFormatter
from blog.bootstrap.keys import PRIVATE_KEY_FILE, ensure_signing_keys
from blog.middleware.rate_limit import FixedWindowRateLimiter
from blog.queue.handlers import WelcomeEmailHandler
from blog.queue.in_process import InProcessJobQueue
from blog.queue.jobs import WelcomeEmailJob
from blog.services.passwords import ScryptPasswordHasher
from blog.settings import Settings

from fakes import RecordingMailer


def test_scrypt_hashes_are_salted_and_verify() -> None:
    hasher = ScryptPasswordHasher(n=2**8)

    first, second = hasher.hash("hunter2 hunter2"), hasher.hash("hunter2 hunter2")

    assert first != second and first.startswith("scrypt$256$8$1$")
    assert hasher.verify("hunter2 hunter2", first)
    assert not hasher.verify("hunter3 hunter3", first)
    assert not hasher.verify("hunter2 hunter2", "garbage")


def test_a_hash_made_with_another_cost_still_verifies() -> None:
    old = ScryptPasswordHasher(n=2**8).hash("a long passphrase")

    assert ScryptPasswordHasher(n=2**10).verify("a long passphrase", old)


def test_the_in_process_queue_runs_jobs_off_the_request_thread() -> None:
    mailer = RecordingMailer()
    threads: list[str] = []

    def handler(job: WelcomeEmailJob) -> None:
        threads.append(threading.current_thread().name)
        WelcomeEmailHandler(mailer)(job)

    queue = InProcessJobQueue({WelcomeEmailJob: handler})
    queue.enqueue(WelcomeEmailJob(user_id=uuid4(), email="ann@example.com", display_name="Ann"))
    queue.shutdown()

    assert threads and threads[0] != threading.current_thread().name
    (mail,) = mailer.sent
    assert (mail.to, mail.subject) == ("ann@example.com", "Welcome to the blog")
    assert "Hi Ann" in mail.body


def test_a_failing_job_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def broken(job: WelcomeEmailJob) -> None:
        raise RuntimeError("SMTP is down")

    queue = InProcessJobQueue({WelcomeEmailJob: broken})
    with caplog.at_level(logging.ERROR, logger="blog.queue"):
        queue.enqueue(WelcomeEmailJob(user_id=uuid4(), email="a@example.com", display_name="A"))
        queue.shutdown()

    assert [r.getMessage() for r in caplog.records] == ["job failed"]


def test_enqueueing_a_job_without_a_handler_fails_at_once() -> None:
    queue = InProcessJobQueue({})
    with pytest.raises(LookupError):
        queue.enqueue(WelcomeEmailJob(user_id=uuid4(), email="a@example.com", display_name="A"))
    queue.shutdown()


def test_json_formatter_writes_one_object_with_the_extra_fields() -> None:
    record = logging.LogRecord(
        "blog.posts", logging.INFO, __file__, 1, "post %s", ("created",), None
    )
    record.post_id = "42"

    line = JsonFormatter().format(record)

    payload = json.loads(line)
    assert "\n" not in line
    assert payload["level"] == "INFO"
    assert payload["logger"] == "blog.posts"
    assert payload["message"] == "post created"
    assert payload["post_id"] == "42"
    assert payload["time"].endswith("+00:00")


def test_json_formatter_includes_the_exception() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("blog", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())

    payload = json.loads(JsonFormatter().format(record))

    assert "ValueError: boom" in payload["exception"]


def test_fixed_window_rate_limiter() -> None:
    now = [1000.0]
    limiter = FixedWindowRateLimiter(limit=2, window=timedelta(seconds=60), clock=lambda: now[0])

    assert [limiter.hit("a").allowed for _ in range(3)] == [True, True, False]
    assert limiter.hit("b").allowed  # counted per client
    denied = limiter.hit("a")
    assert denied.retry_after_seconds == 20  # the window ends at 1020

    now[0] = 1020.0
    assert limiter.hit("a").allowed  # a new window


def test_signing_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    directory = tmp_path / "keys"

    first = ensure_signing_keys(directory)
    second = ensure_signing_keys(directory)

    assert first == second
    assert first.private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert first.public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    mode = stat.S_IMODE((directory / PRIVATE_KEY_FILE).stat().st_mode)
    assert mode == 0o600
    assert [p.name for p in directory.iterdir()] == [PRIVATE_KEY_FILE]


def test_settings_come_from_blog_environment_variables() -> None:
    settings = Settings.from_env(
        {
            "BLOG_DATABASE_URL": "postgresql+psycopg://blog@db/blog",
            "BLOG_KEYS_DIR": "/run/secrets/blog",
            "BLOG_RATE_LIMIT_REQUESTS": "10",
            "BLOG_RATE_LIMIT_WINDOW_SECONDS": "30",
            "UNRELATED": "ignored",
        }
    )

    assert settings.database_url == "postgresql+psycopg://blog@db/blog"
    assert settings.keys_dir == Path("/run/secrets/blog")
    assert (settings.rate_limit_requests, settings.rate_limit_window) == (10, timedelta(seconds=30))
    assert settings.access_token_ttl == timedelta(minutes=15)
    assert Settings.from_env({}) == Settings()
