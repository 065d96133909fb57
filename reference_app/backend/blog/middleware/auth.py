"""Authentication: the ``Authorization: Bearer <access token>`` of a request, verified.

Routes that need a signed-in user take a :data:`CurrentPrincipal` parameter; a request
without a valid token is answered 401 before the route runs.
"""

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from blog.dependencies import get_access_tokens
from blog.services.tokens import AccessTokenService
from blog.types.domain import Principal
from blog.types.errors import AuthenticationError

bearer_scheme = HTTPBearer(auto_error=False, description="An access token from POST /sessions")


def require_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    access_tokens: Annotated[AccessTokenService, Depends(get_access_tokens)],
) -> Principal:
    if credentials is None:
        raise AuthenticationError("missing bearer token")
    return access_tokens.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]
