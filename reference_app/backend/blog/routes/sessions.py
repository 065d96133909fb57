"""Sessions: ``POST`` logs in, ``PUT /current`` rotates the refresh token (and returns a new
access token), ``DELETE /current`` logs out. The refresh token only ever travels in its
cookie, scoped to these paths."""

from typing import Annotated

from fastapi import APIRouter, Cookie, Response, status

from blog.controllers.sessions import REFRESH_COOKIE
from blog.dependencies import SessionsControllerDep
from blog.validators.sessions import AccessTokenOut, Credentials

router = APIRouter(prefix="/sessions", tags=["sessions"])

RefreshCookie = Annotated[str | None, Cookie(alias=REFRESH_COOKIE)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_session(
    credentials: Credentials, response: Response, controller: SessionsControllerDep
) -> AccessTokenOut:
    return controller.log_in(credentials, response)


@router.put("/current")
def replace_current_session(
    response: Response, controller: SessionsControllerDep, refresh_token: RefreshCookie = None
) -> AccessTokenOut:
    return controller.refresh(refresh_token, response)


@router.delete("/current", status_code=status.HTTP_204_NO_CONTENT)
def delete_current_session(
    response: Response, controller: SessionsControllerDep, refresh_token: RefreshCookie = None
) -> None:
    controller.log_out(refresh_token, response)
