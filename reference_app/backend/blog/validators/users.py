from datetime import datetime
from uuid import UUID

from pydantic import EmailStr, Field

from blog.validators.common import InputModel, OutputModel


class UserCreate(InputModel):
    email: EmailStr
    password: str = Field(min_length=12, max_length=128)
    display_name: str = Field(min_length=1, max_length=100)


class UserOut(OutputModel):
    id: UUID
    email: str
    display_name: str
    created_at: datetime
