"""The API end to end: FastAPI's TestClient against the real app (routes, middleware,
controllers, services, SQLAlchemy repositories) on a temporary SQLite database created by
the Alembic migrations."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from blog.app import create_app
from blog.settings import Settings

from fakes import RecordingMailer

PASSWORD = "correct horse battery staple"
SESSIONS = "/api/v1/sessions"
CURRENT_SESSION = "/api/v1/sessions/current"


def sign_up(
    client: TestClient, email: str = "ann@example.com", name: str = "Ann"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/users", json={"email": email, "password": PASSWORD, "display_name": name}
    )
    assert response.status_code == 202, response.text
    return response.json()


def log_in(client: TestClient, email: str = "ann@example.com") -> dict[str, str]:
    """Log in; the Authorization header of the new session."""
    response = client.post(SESSIONS, json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def refresh_cookie(client: TestClient) -> str:
    value = client.cookies.get("refresh_token")
    assert value
    return value


def set_refresh_cookie(client: TestClient, value: str) -> None:
    client.cookies.set("refresh_token", value, domain="testserver.local", path=SESSIONS)


def create_post(
    client: TestClient, headers: dict[str, str], title: str = "Hello"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/posts", json={"title": title, "body": "First post"}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def error_code(response: Any) -> str:
    return response.json()["error"]["code"]


# --- users and sessions --------------------------------------------------------------------


def test_sign_up_answers_202_and_sends_the_welcome_mail_in_the_background(
    settings: Settings, mailer: RecordingMailer
) -> None:
    with TestClient(create_app(settings, mailer=mailer), base_url="https://testserver") as client:
        user = sign_up(client, email="Ann@Example.com")
    # Leaving the block shut the app down, which waits for the queued jobs.

    assert user["email"] == "ann@example.com"
    assert user["display_name"] == "Ann"
    assert "password" not in str(user) and "password_hash" not in user
    assert [(m.to, m.subject) for m in mailer.sent] == [("ann@example.com", "Welcome to the blog")]


def test_sign_up_twice_is_a_conflict(client: TestClient) -> None:
    sign_up(client)

    response = client.post(
        "/api/v1/users",
        json={"email": "ann@example.com", "password": PASSWORD, "display_name": "Ann 2"},
    )

    assert response.status_code == 409
    assert error_code(response) == "conflict"


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": PASSWORD, "display_name": "Ann"},
        {"email": "ann@example.com", "password": "short", "display_name": "Ann"},
        {"email": "ann@example.com", "password": PASSWORD, "display_name": ""},
        {"email": "ann@example.com", "password": PASSWORD, "display_name": "A", "admin": True},
    ],
)
def test_invalid_sign_up_is_422(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/v1/users", json=body)

    assert response.status_code == 422
    assert error_code(response) == "validation_error"
    assert response.json()["error"]["details"]


def test_log_in_returns_an_access_token_and_sets_a_locked_down_refresh_cookie(
    client: TestClient,
) -> None:
    user = sign_up(client)

    response = client.post(SESSIONS, json={"email": "ann@example.com", "password": PASSWORD})

    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert "refresh_token" not in body
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "RS256"
    assert claims["sub"] == user["id"]
    assert claims["exp"] - claims["iat"] == 15 * 60

    cookie = SimpleCookie(response.headers["set-cookie"])["refresh_token"]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"].lower() == "strict"
    assert cookie["path"] == SESSIONS


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@example.com", "wrong password!"), ("nobody@example.com", PASSWORD)],
)
def test_log_in_with_wrong_credentials_is_401(
    client: TestClient, email: str, password: str
) -> None:
    sign_up(client)

    response = client.post(SESSIONS, json={"email": email, "password": password})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "set-cookie" not in response.headers


def test_me_needs_a_valid_access_token(client: TestClient) -> None:
    user = sign_up(client)
    headers = log_in(client)

    assert client.get("/api/v1/users/me", headers=headers).json()["id"] == user["id"]
    assert client.get("/api/v1/users/me").status_code == 401
    garbage = {"Authorization": "Bearer not.a.token"}
    assert client.get("/api/v1/users/me", headers=garbage).status_code == 401
    basic = {"Authorization": "Basic YW5uOnBhc3N3b3Jk"}
    assert client.get("/api/v1/users/me", headers=basic).status_code == 401


def test_refresh_rotates_the_cookie_and_a_reused_token_ends_the_session(
    client: TestClient,
) -> None:
    sign_up(client)
    log_in(client)
    first = refresh_cookie(client)

    response = client.put(CURRENT_SESSION)

    assert response.status_code == 200
    assert response.json()["access_token"]
    second = refresh_cookie(client)
    assert second != first

    set_refresh_cookie(client, first)  # replaying the old token...
    replayed = client.put(CURRENT_SESSION)
    assert replayed.status_code == 401
    assert replayed.json()["error"]["message"] == "refresh token already used"
    set_refresh_cookie(client, second)  # ...revoked the whole chain
    assert client.put(CURRENT_SESSION).status_code == 401


def test_refresh_without_a_cookie_is_401(client: TestClient) -> None:
    response = client.put(CURRENT_SESSION)

    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"


def test_log_out_clears_the_cookie_and_invalidates_the_refresh_token(client: TestClient) -> None:
    sign_up(client)
    log_in(client)
    token = refresh_cookie(client)

    response = client.delete(CURRENT_SESSION)

    assert response.status_code == 204
    cleared = SimpleCookie(response.headers["set-cookie"])["refresh_token"]
    assert cleared.value == "" and cleared["max-age"] == "0"
    assert client.cookies.get("refresh_token") is None

    set_refresh_cookie(client, token)
    refreshed = client.put(CURRENT_SESSION)
    assert refreshed.status_code == 401
    assert refreshed.json()["error"]["message"] == "refresh token already used"


# --- posts ---------------------------------------------------------------------------------


def test_post_lifecycle(client: TestClient) -> None:
    ann = sign_up(client)
    headers = log_in(client)

    post = create_post(client, headers)
    assert (post["title"], post["author_id"], post["author_name"]) == ("Hello", ann["id"], "Ann")

    listed = client.get("/api/v1/posts").json()
    assert listed["total"] == 1 and [p["id"] for p in listed["items"]] == [post["id"]]
    assert client.get(f"/api/v1/posts/{post['id']}").json() == post

    response = client.patch(
        f"/api/v1/posts/{post['id']}", json={"title": "Hello again"}, headers=headers
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["body"]) == ("Hello again", "First post")
    assert response.json()["updated_at"] >= post["updated_at"]

    assert client.delete(f"/api/v1/posts/{post['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/posts/{post['id']}").status_code == 404
    assert client.get("/api/v1/posts").json()["total"] == 0


def test_posts_are_paged_newest_first(client: TestClient) -> None:
    sign_up(client)
    headers = log_in(client)
    for title in ("one", "two", "three"):
        create_post(client, headers, title)

    page = client.get("/api/v1/posts", params={"limit": 2}).json()

    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    assert [p["title"] for p in page["items"]] == ["three", "two"]
    assert client.get("/api/v1/posts", params={"limit": 101}).status_code == 422


def test_writing_posts_needs_a_session(client: TestClient) -> None:
    response = client.post("/api/v1/posts", json={"title": "Hello", "body": "Anonymous"})

    assert response.status_code == 401


def test_only_the_author_changes_a_post(client: TestClient) -> None:
    sign_up(client)
    sign_up(client, email="bob@example.com", name="Bob")
    post = create_post(client, log_in(client))
    bob = log_in(client, "bob@example.com")

    update = client.patch(f"/api/v1/posts/{post['id']}", json={"body": "Bob's now"}, headers=bob)
    delete = client.delete(f"/api/v1/posts/{post['id']}", headers=bob)

    assert (update.status_code, delete.status_code) == (403, 403)
    assert error_code(update) == "permission_denied"
    assert client.get(f"/api/v1/posts/{post['id']}").json()["body"] == "First post"


def test_unknown_and_malformed_post_ids(client: TestClient) -> None:
    response = client.get("/api/v1/posts/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")

    assert response.status_code == 404
    assert error_code(response) == "not_found"
    assert client.get("/api/v1/posts/42").status_code == 422


def test_invalid_post_bodies_are_422(client: TestClient) -> None:
    sign_up(client)
    headers = log_in(client)
    post = create_post(client, headers)

    assert client.post("/api/v1/posts", json={"title": ""}, headers=headers).status_code == 422
    empty_update = client.patch(f"/api/v1/posts/{post['id']}", json={}, headers=headers)
    assert empty_update.status_code == 422


# --- comments ------------------------------------------------------------------------------


def test_comment_lifecycle(client: TestClient) -> None:
    sign_up(client)
    sign_up(client, email="bob@example.com", name="Bob")
    post = create_post(client, log_in(client))
    bob = log_in(client, "bob@example.com")
    comments = f"/api/v1/posts/{post['id']}/comments"

    created = client.post(comments, json={"body": "Nice!"}, headers=bob)
    assert created.status_code == 201
    comment = created.json()
    assert (comment["post_id"], comment["author_name"]) == (post["id"], "Bob")

    assert client.get(comments).json()["items"] == [comment]

    edited = client.patch(f"{comments}/{comment['id']}", json={"body": "Very nice!"}, headers=bob)
    assert edited.status_code == 200 and edited.json()["body"] == "Very nice!"

    assert client.delete(f"{comments}/{comment['id']}", headers=bob).status_code == 204
    assert client.get(comments).json()["total"] == 0
    gone = client.patch(f"{comments}/{comment['id']}", json={"body": "?"}, headers=bob)
    assert gone.status_code == 404


def test_comment_permissions(client: TestClient) -> None:
    sign_up(client)
    sign_up(client, email="bob@example.com", name="Bob")
    sign_up(client, email="carl@example.com", name="Carl")
    ann = log_in(client)
    post = create_post(client, ann)
    comments = f"/api/v1/posts/{post['id']}/comments"
    comment = client.post(
        comments, json={"body": "Spam"}, headers=log_in(client, "bob@example.com")
    ).json()
    carl = log_in(client, "carl@example.com")

    assert client.post(comments, json={"body": "anonymous"}).status_code == 401
    assert (
        client.patch(f"{comments}/{comment['id']}", json={"body": "x"}, headers=ann).status_code
        == 403
    )
    assert client.delete(f"{comments}/{comment['id']}", headers=carl).status_code == 403
    # The post's author moderates the comments on it.
    assert client.delete(f"{comments}/{comment['id']}", headers=ann).status_code == 204


def test_comments_of_a_deleted_post_are_gone(client: TestClient) -> None:
    sign_up(client)
    headers = log_in(client)
    post = create_post(client, headers)
    comments = f"/api/v1/posts/{post['id']}/comments"
    client.post(comments, json={"body": "First!"}, headers=headers)

    client.delete(f"/api/v1/posts/{post['id']}", headers=headers)

    assert client.get(comments).status_code == 404
    assert client.post(comments, json={"body": "Late"}, headers=headers).status_code == 404
    assert client.post(comments, json={"body": ""}, headers=headers).status_code == 422


# --- the rest ------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(
    settings: Settings, mailer: RecordingMailer
) -> None:
    limited = dataclasses.replace(
        settings, rate_limit_requests=3, rate_limit_window=timedelta(hours=1)
    )
    with TestClient(create_app(limited, mailer=mailer), base_url="https://testserver") as client:
        statuses = [client.get("/api/v1/posts").status_code for _ in range(4)]
        response = client.get("/api/v1/posts")

    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert error_code(response) == "rate_limited"
    assert 0 < int(response.headers["retry-after"]) <= 3600


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    assert client.get("/health").headers["x-request-id"]
    echoed = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"


def test_health_and_unknown_paths(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/posts").status_code == 404  # the API is only under /api/v1
    assert error_code(client.get("/api/v2/posts")) == "http_error"


def test_the_app_generates_its_signing_key_at_first_start(
    settings: Settings, tmp_path: Path
) -> None:
    keys_dir = tmp_path / "fresh-keys"
    fresh = dataclasses.replace(settings, keys_dir=keys_dir)

    with TestClient(create_app(fresh), base_url="https://testserver") as client:
        sign_up(client)
        assert client.get("/api/v1/users/me", headers=log_in(client)).status_code == 200

    assert [p.name for p in keys_dir.iterdir()] == ["jwt-private.pem"]
