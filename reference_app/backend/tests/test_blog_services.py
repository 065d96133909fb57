"""The services, called as plain functions over in-memory fakes: no web framework, no
database. These are the business rules; the API tests check the wiring."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import jwt
import pytest

from blog.queue.jobs import WelcomeEmailJob
from blog.services.auth import AuthService
from blog.services.comments import CommentService
from blog.services.posts import PostService
from blog.services.tokens import AccessTokenService, hash_refresh_token
from blog.services.users import UserService
from blog.types.domain import NewPost, NewUser, PostChanges, Principal, User
from blog.types.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)

from fakes import FakeClock, FakeUnitOfWork, RecordingJobQueue

PASSWORD = "correct horse battery staple"


def register(users: UserService, email: str = "ann@example.com", name: str = "Ann") -> User:
    return users.register(NewUser(email=email, password=PASSWORD, display_name=name))


# --- users ---------------------------------------------------------------------------------


def test_register_stores_a_normalized_user_with_a_hashed_password(
    user_service: UserService, uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    user = register(user_service, email="  Ann@Example.COM ")

    assert user.email == "ann@example.com"
    assert user.password_hash == f"hashed:{PASSWORD}"
    assert user.created_at == user.updated_at == clock.now
    assert uow.users.get(user.id) == user
    assert uow.commits == 1


def test_register_queues_the_welcome_mail_with_a_typed_payload(
    user_service: UserService, jobs: RecordingJobQueue
) -> None:
    user = register(user_service)

    assert jobs.jobs == [
        WelcomeEmailJob(user_id=user.id, email="ann@example.com", display_name="Ann")
    ]


def test_register_rejects_an_address_already_registered(
    user_service: UserService, jobs: RecordingJobQueue
) -> None:
    register(user_service)

    with pytest.raises(ConflictError):
        register(user_service, email="ANN@example.com")
    assert len(jobs.jobs) == 1


def test_get_unknown_user_is_not_found(user_service: UserService) -> None:
    with pytest.raises(NotFoundError):
        user_service.get(uuid4())


# --- sessions ------------------------------------------------------------------------------


def test_log_in_issues_a_15_minute_rs256_access_token_and_stores_only_the_refresh_hash(
    user_service: UserService,
    auth_service: AuthService,
    access_tokens: AccessTokenService,
    uow: FakeUnitOfWork,
) -> None:
    user = register(user_service)

    tokens = auth_service.log_in("ANN@example.com", PASSWORD)

    assert jwt.get_unverified_header(tokens.access_token.value)["alg"] == "RS256"
    assert tokens.access_token.lifetime == timedelta(minutes=15)
    assert access_tokens.verify(tokens.access_token.value) == Principal(user_id=user.id)
    (stored,) = uow.refresh_tokens.rows.values()
    assert stored.token_hash == hash_refresh_token(tokens.refresh_token)
    assert stored.token_hash != tokens.refresh_token
    assert stored.user_id == user.id


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@example.com", "wrong password"), ("nobody@example.com", PASSWORD)],
)
def test_log_in_with_wrong_credentials_fails(
    user_service: UserService, auth_service: AuthService, email: str, password: str
) -> None:
    register(user_service)

    with pytest.raises(AuthenticationError):
        auth_service.log_in(email, password)


def test_refresh_rotates_the_refresh_token(
    user_service: UserService, auth_service: AuthService, uow: FakeUnitOfWork
) -> None:
    register(user_service)
    first = auth_service.log_in("ann@example.com", PASSWORD)

    second = auth_service.refresh(first.refresh_token)

    assert second.refresh_token != first.refresh_token
    old = uow.refresh_tokens.get_by_hash(hash_refresh_token(first.refresh_token))
    new = uow.refresh_tokens.get_by_hash(hash_refresh_token(second.refresh_token))
    assert old is not None and old.revoked_at is not None
    assert new is not None and new.revoked_at is None


def test_reusing_a_rotated_refresh_token_revokes_every_session(
    user_service: UserService, auth_service: AuthService
) -> None:
    register(user_service)
    first = auth_service.log_in("ann@example.com", PASSWORD)
    second = auth_service.refresh(first.refresh_token)

    with pytest.raises(AuthenticationError):
        auth_service.refresh(first.refresh_token)  # a stolen copy of the old token
    with pytest.raises(AuthenticationError):
        auth_service.refresh(second.refresh_token)  # the legitimate chain is ended too


def test_an_expired_refresh_token_is_refused(
    user_service: UserService, auth_service: AuthService, clock: FakeClock
) -> None:
    register(user_service)
    tokens = auth_service.log_in("ann@example.com", PASSWORD)

    clock.advance(timedelta(days=14, seconds=1))

    with pytest.raises(AuthenticationError):
        auth_service.refresh(tokens.refresh_token)


def test_log_out_revokes_the_refresh_token(
    user_service: UserService, auth_service: AuthService
) -> None:
    register(user_service)
    tokens = auth_service.log_in("ann@example.com", PASSWORD)

    auth_service.log_out(tokens.refresh_token)
    auth_service.log_out(tokens.refresh_token)  # idempotent

    with pytest.raises(AuthenticationError):
        auth_service.refresh(tokens.refresh_token)


def test_unknown_refresh_token_is_refused(auth_service: AuthService) -> None:
    with pytest.raises(AuthenticationError):
        auth_service.refresh("not-a-token")


def test_expired_or_foreign_access_tokens_are_refused(access_tokens: AccessTokenService) -> None:
    expired = access_tokens.issue(uuid4(), datetime.now(timezone.utc) - timedelta(minutes=16))
    with pytest.raises(AuthenticationError):
        access_tokens.verify(expired.value)

    forged = jwt.encode(
        {"sub": str(uuid4())}, "a shared secret that anyone could know", algorithm="HS256"
    )
    with pytest.raises(AuthenticationError):
        access_tokens.verify(forged)


# --- posts ---------------------------------------------------------------------------------


@pytest.fixture
def ann(user_service: UserService) -> Principal:
    return Principal(user_id=register(user_service).id)


@pytest.fixture
def bob(user_service: UserService) -> Principal:
    return Principal(user_id=register(user_service, email="bob@example.com", name="Bob").id)


def test_create_post_records_its_author_and_times(
    post_service: PostService, ann: Principal, clock: FakeClock
) -> None:
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))

    assert post.author_id == ann.user_id
    assert post.author_name == "Ann"
    assert post.created_at == post.updated_at == clock.now
    assert post_service.get(post.id) == post


def test_create_post_needs_an_existing_account(post_service: PostService) -> None:
    with pytest.raises(AuthenticationError):
        post_service.create(Principal(user_id=uuid4()), NewPost(title="t", body="b"))


def test_list_posts_newest_first_with_paging(
    post_service: PostService, ann: Principal, clock: FakeClock
) -> None:
    for title in ("one", "two", "three"):
        post_service.create(ann, NewPost(title=title, body="..."))
        clock.advance(timedelta(minutes=1))

    page = post_service.list(limit=2, offset=0)

    assert [p.title for p in page.items] == ["three", "two"]
    assert page.total == 3
    assert [p.title for p in post_service.list(limit=2, offset=2).items] == ["one"]


def test_the_author_updates_a_post(
    post_service: PostService, ann: Principal, clock: FakeClock
) -> None:
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))
    clock.advance(timedelta(hours=1))

    updated = post_service.update(ann, post.id, PostChanges(title="Hello again"))

    assert (updated.title, updated.body) == ("Hello again", "First post")
    assert updated.updated_at == clock.now
    assert updated.created_at == post.created_at
    assert post_service.get(post.id) == updated


def test_only_the_author_updates_or_deletes_a_post(
    post_service: PostService, ann: Principal, bob: Principal
) -> None:
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))

    with pytest.raises(PermissionDeniedError):
        post_service.update(bob, post.id, PostChanges(body="mine now"))
    with pytest.raises(PermissionDeniedError):
        post_service.delete(bob, post.id)


def test_delete_is_a_soft_delete(
    post_service: PostService, ann: Principal, uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))

    post_service.delete(ann, post.id)

    assert uow.posts.deleted_at[post.id] == clock.now
    assert post.id in uow.posts.rows  # still there, only marked
    with pytest.raises(NotFoundError):
        post_service.get(post.id)
    assert post_service.list(limit=10, offset=0).total == 0


def test_unknown_post_is_not_found(post_service: PostService, ann: Principal) -> None:
    with pytest.raises(NotFoundError):
        post_service.get(uuid4())
    with pytest.raises(NotFoundError):
        post_service.update(ann, uuid4(), PostChanges(title="x"))


# --- comments ------------------------------------------------------------------------------


def test_comment_on_a_post(
    post_service: PostService, comment_service: CommentService, ann: Principal, bob: Principal
) -> None:
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))

    comment = comment_service.create(bob, post.id, "Nice!")

    assert (comment.post_id, comment.author_name, comment.body) == (post.id, "Bob", "Nice!")
    assert comment_service.list(post.id, limit=10, offset=0).items == [comment]


def test_no_comments_on_missing_or_deleted_posts(
    post_service: PostService, comment_service: CommentService, ann: Principal
) -> None:
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))
    post_service.delete(ann, post.id)

    with pytest.raises(NotFoundError):
        comment_service.create(ann, post.id, "anyone?")
    with pytest.raises(NotFoundError):
        comment_service.list(uuid4(), limit=10, offset=0)


def test_only_the_comment_author_edits_a_comment(
    post_service: PostService, comment_service: CommentService, ann: Principal, bob: Principal
) -> None:
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))
    comment = comment_service.create(bob, post.id, "Nice!")

    assert comment_service.update(bob, post.id, comment.id, "Very nice!").body == "Very nice!"
    with pytest.raises(PermissionDeniedError):
        comment_service.update(ann, post.id, comment.id, "Rude!")


def test_the_post_author_may_delete_any_comment_on_it(
    post_service: PostService,
    comment_service: CommentService,
    user_service: UserService,
    ann: Principal,
    bob: Principal,
) -> None:
    carl = Principal(user_id=register(user_service, email="carl@example.com", name="Carl").id)
    post = post_service.create(ann, NewPost(title="Hello", body="First post"))
    comment = comment_service.create(bob, post.id, "Spam")

    with pytest.raises(PermissionDeniedError):
        comment_service.delete(carl, post.id, comment.id)
    comment_service.delete(ann, post.id, comment.id)

    assert comment_service.list(post.id, limit=10, offset=0).total == 0
    with pytest.raises(NotFoundError):
        comment_service.update(bob, post.id, comment.id, "edited")


def test_a_comment_is_found_only_under_its_own_post(
    post_service: PostService, comment_service: CommentService, ann: Principal
) -> None:
    first = post_service.create(ann, NewPost(title="One", body="..."))
    second = post_service.create(ann, NewPost(title="Two", body="..."))
    comment = comment_service.create(ann, first.id, "on the first")

    with pytest.raises(NotFoundError):
        comment_service.delete(ann, second.id, comment.id)
