"""The composition root: :func:`create_app` builds one application instance.

It is the only place that knows the concrete classes (SQLAlchemy repositories, the
in-process queue, the scrypt hasher...) and wires them together; everything else receives
its collaborators. Tests build an app with their own settings and mailer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from blog.bootstrap.keys import ensure_signing_keys
from blog.container import Container, utc_now
from blog.middleware.access_log import AccessLogMiddleware
from blog.middleware.errors import install_error_handlers
from blog.middleware.rate_limit import FixedWindowRateLimiter, RateLimitMiddleware
from blog.queue.handlers import WelcomeEmailHandler
from blog.queue.in_process import InProcessJobQueue
from blog.queue.jobs import WelcomeEmailJob
from blog.queue.mail import LoggingMailer, Mailer
from blog.repositories.database import Database
from blog.routes import health
from blog.routes.api import api_router
from blog.services.passwords import ScryptPasswordHasher
from blog.services.tokens import AccessTokenService
from blog.settings import Settings


def create_app(settings: Settings | None = None, *, mailer: Mailer | None = None) -> FastAPI:
    settings = settings if settings is not None else Settings.from_env()
    keys = ensure_signing_keys(settings.keys_dir)
    database = Database(settings.database_url)
    jobs = InProcessJobQueue({WelcomeEmailJob: WelcomeEmailHandler(mailer or LoggingMailer())})
    container = Container(
        settings=settings,
        unit_of_work=database.unit_of_work,
        access_tokens=AccessTokenService(
            private_key_pem=keys.private_pem,
            public_key_pem=keys.public_pem,
            ttl=settings.access_token_ttl,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        ),
        password_hasher=ScryptPasswordHasher(n=settings.password_hash_cost),
        jobs=jobs,
        clock=utc_now,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        database.dispose()

    app = FastAPI(title="Blog", version="1.0.0", lifespan=lifespan)
    app.state.container = container
    install_error_handlers(app)
    limiter = FixedWindowRateLimiter(settings.rate_limit_requests, settings.rate_limit_window)
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    app.add_middleware(AccessLogMiddleware)  # added last: outermost, logs 429s too
    app.include_router(health.router)
    app.include_router(api_router)
    return app
