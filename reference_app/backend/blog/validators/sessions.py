from typing import Literal

from pydantic import BaseModel, EmailStr, Field

from blog.validators.common import InputModel


class Credentials(InputModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)


class AccessTokenOut(BaseModel):
    """The access token, for the ``Authorization: Bearer`` header. The refresh token is
    never in a body: it travels only in its HttpOnly cookie."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int  # seconds
