"""Log-in, refresh and log-out over HTTP: the refresh token lives in a cookie that scripts
cannot read (HttpOnly), that only travels over HTTPS (Secure), that other sites cannot make
the browser send (SameSite=Strict), and only to the session endpoints (its path)."""

from fastapi import Response

from blog.services.auth import AuthService
from blog.types.domain import SessionTokens
from blog.types.errors import AuthenticationError
from blog.validators.sessions import AccessTokenOut, Credentials

REFRESH_COOKIE = "refresh_token"
REFRESH_COOKIE_PATH = "/api/v1/sessions"


class SessionsController:
    def __init__(self, auth: AuthService) -> None:
        self._auth = auth

    def log_in(self, credentials: Credentials, response: Response) -> AccessTokenOut:
        tokens = self._auth.log_in(str(credentials.email), credentials.password)
        return _issue(tokens, response)

    def refresh(self, refresh_token: str | None, response: Response) -> AccessTokenOut:
        if not refresh_token:
            raise AuthenticationError("no refresh token cookie")
        return _issue(self._auth.refresh(refresh_token), response)

    def log_out(self, refresh_token: str | None, response: Response) -> None:
        if refresh_token:
            self._auth.log_out(refresh_token)
        response.delete_cookie(
            REFRESH_COOKIE,
            path=REFRESH_COOKIE_PATH,
            secure=True,
            httponly=True,
            samesite="strict",
        )


def _issue(tokens: SessionTokens, response: Response) -> AccessTokenOut:
    response.set_cookie(
        REFRESH_COOKIE,
        tokens.refresh_token,
        expires=tokens.refresh_expires_at,
        path=REFRESH_COOKIE_PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )
    access_token = tokens.access_token
    return AccessTokenOut(
        access_token=access_token.value,
        expires_in=int(access_token.lifetime.total_seconds()),
    )
