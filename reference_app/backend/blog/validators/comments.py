from datetime import datetime
from uuid import UUID

from pydantic import Field

from blog.validators.common import InputModel, OutputModel


class CommentCreate(InputModel):
    body: str = Field(min_length=1, max_length=5_000)


class CommentUpdate(InputModel):
    body: str = Field(min_length=1, max_length=5_000)


class CommentOut(OutputModel):
    id: UUID
    post_id: UUID
    author_id: UUID
    author_name: str
    body: str
    created_at: datetime
    updated_at: datetime


class CommentPageOut(OutputModel):
    items: list[CommentOut]
    total: int
    limit: int
    offset: int
