"""Comments on a post: anyone reads, signed-in users write, the comment's author edits it,
and its author or the post's author deletes it."""

from __future__ import annotations

import dataclasses
from uuid import UUID, uuid4

from blog.types.domain import Comment, Page, Post, Principal
from blog.types.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from blog.types.protocols import Clock, UnitOfWork


class CommentService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def list(self, post_id: UUID, limit: int, offset: int) -> Page[Comment]:
        with self._uow:
            self._get_post(post_id)
            return self._uow.comments.page_for_post(post_id, limit, offset)

    def create(self, principal: Principal, post_id: UUID, body: str) -> Comment:
        with self._uow:
            self._get_post(post_id)
            author = self._uow.users.get(principal.user_id)
            if author is None:
                raise AuthenticationError("the account of this token no longer exists")
            now = self._clock()
            comment = Comment(
                id=uuid4(),
                post_id=post_id,
                author_id=author.id,
                author_name=author.display_name,
                body=body,
                created_at=now,
                updated_at=now,
            )
            self._uow.comments.add(comment)
            self._uow.commit()
        return comment

    def update(self, principal: Principal, post_id: UUID, comment_id: UUID, body: str) -> Comment:
        with self._uow:
            self._get_post(post_id)
            comment = self._get_comment(post_id, comment_id)
            if comment.author_id != principal.user_id:
                raise PermissionDeniedError("only the author can edit this comment")
            updated = dataclasses.replace(comment, body=body, updated_at=self._clock())
            self._uow.comments.update(updated)
            self._uow.commit()
        return updated

    def delete(self, principal: Principal, post_id: UUID, comment_id: UUID) -> None:
        with self._uow:
            post = self._get_post(post_id)
            comment = self._get_comment(post_id, comment_id)
            if principal.user_id not in (comment.author_id, post.author_id):
                raise PermissionDeniedError(
                    "only the comment's author or the post's author can delete it"
                )
            self._uow.comments.soft_delete(comment_id, self._clock())
            self._uow.commit()

    def _get_post(self, post_id: UUID) -> Post:
        post = self._uow.posts.get(post_id)
        if post is None:
            raise NotFoundError("post", post_id)
        return post

    def _get_comment(self, post_id: UUID, comment_id: UUID) -> Comment:
        comment = self._uow.comments.get(post_id, comment_id)
        if comment is None:
            raise NotFoundError("comment", comment_id)
        return comment
