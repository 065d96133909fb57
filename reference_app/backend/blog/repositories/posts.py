from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from blog.repositories.orm import PostRow, UserRow
from blog.types.domain import Page, Post


class SqlAlchemyPostRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, post: Post) -> None:
        self._session.add(
            PostRow(
                id=post.id,
                author_id=post.author_id,
                title=post.title,
                body=post.body,
                created_at=post.created_at,
                updated_at=post.updated_at,
            )
        )
        self._session.flush()

    def get(self, post_id: UUID) -> Post | None:
        row = self._session.execute(
            select(PostRow, UserRow.display_name)
            .join(UserRow, UserRow.id == PostRow.author_id)
            .where(PostRow.id == post_id, PostRow.deleted_at.is_(None))
        ).first()
        return None if row is None else _to_post(row.PostRow, row.display_name)

    def page(self, limit: int, offset: int) -> Page[Post]:
        total = self._session.scalar(
            select(func.count()).select_from(PostRow).where(PostRow.deleted_at.is_(None))
        )
        rows = self._session.execute(
            select(PostRow, UserRow.display_name)  # the author's name in the same query
            .join(UserRow, UserRow.id == PostRow.author_id)
            .where(PostRow.deleted_at.is_(None))
            .order_by(PostRow.created_at.desc(), PostRow.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return Page(
            items=[_to_post(row.PostRow, row.display_name) for row in rows],
            total=total or 0,
            limit=limit,
            offset=offset,
        )

    def update(self, post: Post) -> None:
        self._session.execute(
            update(PostRow)
            .where(PostRow.id == post.id)
            .values(title=post.title, body=post.body, updated_at=post.updated_at)
        )

    def soft_delete(self, post_id: UUID, deleted_at: datetime) -> None:
        self._session.execute(
            update(PostRow)
            .where(PostRow.id == post_id)
            .values(deleted_at=deleted_at, updated_at=deleted_at)
        )


def _to_post(row: PostRow, author_name: str) -> Post:
    return Post(
        id=row.id,
        author_id=row.author_id,
        author_name=author_name,
        title=row.title,
        body=row.body,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
