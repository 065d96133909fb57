"""Fixtures of the blog's tests: services over in-memory fakes (``fakes.py``), and a real
app on a temporary, migrated SQLite database for the API tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

from blog.app import create_app
from blog.bootstrap.keys import SigningKeys, ensure_signing_keys
from blog.services.auth import AuthService
from blog.services.comments import CommentService
from blog.services.posts import PostService
from blog.services.tokens import AccessTokenService
from blog.services.users import UserService
from blog.settings import Settings

from fakes import (
    FakeClock,
    FakePasswordHasher,
    FakeUnitOfWork,
    RecordingJobQueue,
    RecordingMailer,
)

BACKEND = Path(__file__).resolve().parents[1]
ALEMBIC_INI = BACKEND / "alembic.ini"


# --- service fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One key pair for the whole run: generating RSA keys is the slow part of start-up."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def signing_keys(keys_dir: Path) -> SigningKeys:
    return ensure_signing_keys(keys_dir)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def jobs() -> RecordingJobQueue:
    return RecordingJobQueue()


@pytest.fixture
def hasher() -> FakePasswordHasher:
    return FakePasswordHasher()


@pytest.fixture
def access_tokens(signing_keys: SigningKeys) -> AccessTokenService:
    return AccessTokenService(
        private_key_pem=signing_keys.private_pem,
        public_key_pem=signing_keys.public_pem,
        ttl=timedelta(minutes=15),
        issuer="blog",
        audience="blog-api",
    )


@pytest.fixture
def user_service(
    uow: FakeUnitOfWork, hasher: FakePasswordHasher, jobs: RecordingJobQueue, clock: FakeClock
) -> UserService:
    return UserService(uow, hasher, jobs, clock)


@pytest.fixture
def auth_service(
    uow: FakeUnitOfWork,
    hasher: FakePasswordHasher,
    access_tokens: AccessTokenService,
    clock: FakeClock,
) -> AuthService:
    return AuthService(uow, hasher, access_tokens, clock, refresh_token_ttl=timedelta(days=14))


@pytest.fixture
def post_service(uow: FakeUnitOfWork, clock: FakeClock) -> PostService:
    return PostService(uow, clock)


@pytest.fixture
def comment_service(uow: FakeUnitOfWork, clock: FakeClock) -> CommentService:
    return CommentService(uow, clock)


# --- API fixtures --------------------------------------------------------------------------


AlembicConfigFactory = Callable[[str], Config]


@pytest.fixture(scope="session")
def alembic_config() -> AlembicConfigFactory:
    """Alembic's configuration (``alembic.ini``) pointed at a given database URL."""

    def for_database(database_url: str) -> Config:
        config = Config(str(ALEMBIC_INI))
        config.set_main_option("sqlalchemy.url", database_url)
        config.attributes["configure_logger"] = False  # keep pytest's logging set-up
        return config

    return for_database


@pytest.fixture(scope="session")
def migrated_database(
    tmp_path_factory: pytest.TempPathFactory, alembic_config: AlembicConfigFactory
) -> Path:
    """A SQLite database migrated to the latest revision, once per run."""
    path = tmp_path_factory.mktemp("template") / "blog.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "head")
    return path


@pytest.fixture
def database_url(tmp_path: Path, migrated_database: Path) -> str:
    """A fresh copy of the migrated database for one test."""
    path = tmp_path / "blog.db"
    shutil.copyfile(migrated_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url: str, keys_dir: Path, signing_keys: SigningKeys) -> Settings:
    return Settings(
        database_url=database_url,
        keys_dir=keys_dir,
        password_hash_cost=2**8,  # fast hashing for tests; the default is 2**14
        rate_limit_requests=1_000,
    )


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
def client(settings: Settings, mailer: RecordingMailer) -> Iterator[TestClient]:
    """The app over HTTPS (the refresh cookie is Secure: httpx only sends it over HTTPS)."""
    app = create_app(settings, mailer=mailer)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client
