from datetime import datetime
from uuid import UUID

from pydantic import Field, model_validator

from blog.validators.common import InputModel, OutputModel


class PostCreate(InputModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)


class PostUpdate(InputModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=20_000)

    @model_validator(mode="after")
    def _not_empty(self) -> "PostUpdate":
        if self.title is None and self.body is None:
            raise ValueError("give at least one of title, body")
        return self


class PostOut(OutputModel):
    id: UUID
    author_id: UUID
    author_name: str
    title: str
    body: str
    created_at: datetime
    updated_at: datetime


class PostPageOut(OutputModel):
    items: list[PostOut]
    total: int
    limit: int
    offset: int
