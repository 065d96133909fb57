from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from blog.repositories.orm import CommentRow, UserRow
from blog.types.domain import Comment, Page


class SqlAlchemyCommentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, comment: Comment) -> None:
        self._session.add(
            CommentRow(
                id=comment.id,
                post_id=comment.post_id,
                author_id=comment.author_id,
                body=comment.body,
                created_at=comment.created_at,
                updated_at=comment.updated_at,
            )
        )
        self._session.flush()

    def get(self, post_id: UUID, comment_id: UUID) -> Comment | None:
        row = self._session.execute(
            select(CommentRow, UserRow.display_name)
            .join(UserRow, UserRow.id == CommentRow.author_id)
            .where(
                CommentRow.id == comment_id,
                CommentRow.post_id == post_id,
                CommentRow.deleted_at.is_(None),
            )
        ).first()
        return None if row is None else _to_comment(row.CommentRow, row.display_name)

    def page_for_post(self, post_id: UUID, limit: int, offset: int) -> Page[Comment]:
        total = self._session.scalar(
            select(func.count())
            .select_from(CommentRow)
            .where(CommentRow.post_id == post_id, CommentRow.deleted_at.is_(None))
        )
        rows = self._session.execute(
            select(CommentRow, UserRow.display_name)  # the author's name in the same query
            .join(UserRow, UserRow.id == CommentRow.author_id)
            .where(CommentRow.post_id == post_id, CommentRow.deleted_at.is_(None))
            .order_by(CommentRow.created_at, CommentRow.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return Page(
            items=[_to_comment(row.CommentRow, row.display_name) for row in rows],
            total=total or 0,
            limit=limit,
            offset=offset,
        )

    def update(self, comment: Comment) -> None:
        self._session.execute(
            update(CommentRow)
            .where(CommentRow.id == comment.id)
            .values(body=comment.body, updated_at=comment.updated_at)
        )

    def soft_delete(self, comment_id: UUID, deleted_at: datetime) -> None:
        self._session.execute(
            update(CommentRow)
            .where(CommentRow.id == comment_id)
            .values(deleted_at=deleted_at, updated_at=deleted_at)
        )


def _to_comment(row: CommentRow, author_name: str) -> Comment:
    return Comment(
        id=row.id,
        post_id=row.post_id,
        author_id=row.author_id,
        author_name=author_name,
        body=row.body,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
