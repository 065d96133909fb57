"""Posts: anyone reads, signed-in users write, only the author changes or deletes."""

from __future__ import annotations

import dataclasses
import logging
from uuid import UUID, uuid4

from blog.types.domain import NewPost, Page, Post, PostChanges, Principal
from blog.types.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from blog.types.protocols import Clock, UnitOfWork

logger = logging.getLogger(__name__)


class PostService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def list(self, limit: int, offset: int) -> Page[Post]:
        with self._uow:
            return self._uow.posts.page(limit, offset)

    def get(self, post_id: UUID) -> Post:
        with self._uow:
            return self._get(post_id)

    def create(self, principal: Principal, new_post: NewPost) -> Post:
        with self._uow:
            author = self._uow.users.get(principal.user_id)
            if author is None:
                raise AuthenticationError("the account of this token no longer exists")
            now = self._clock()
            post = Post(
                id=uuid4(),
                author_id=author.id,
                author_name=author.display_name,
                title=new_post.title,
                body=new_post.body,
                created_at=now,
                updated_at=now,
            )
            self._uow.posts.add(post)
            self._uow.commit()
        logger.info("post created", extra={"post_id": str(post.id)})
        return post

    def update(self, principal: Principal, post_id: UUID, changes: PostChanges) -> Post:
        with self._uow:
            post = self._get_own(principal, post_id)
            updated = dataclasses.replace(
                post,
                title=post.title if changes.title is None else changes.title,
                body=post.body if changes.body is None else changes.body,
                updated_at=self._clock(),
            )
            self._uow.posts.update(updated)
            self._uow.commit()
        return updated

    def delete(self, principal: Principal, post_id: UUID) -> None:
        """Soft delete: the row stays, with ``deleted_at`` set, and is no longer listed."""
        with self._uow:
            self._get_own(principal, post_id)
            self._uow.posts.soft_delete(post_id, self._clock())
            self._uow.commit()
        logger.info("post deleted", extra={"post_id": str(post_id)})

    def _get(self, post_id: UUID) -> Post:
        post = self._uow.posts.get(post_id)
        if post is None:
            raise NotFoundError("post", post_id)
        return post

    def _get_own(self, principal: Principal, post_id: UUID) -> Post:
        post = self._get(post_id)
        if post.author_id != principal.user_id:
            raise PermissionDeniedError("only the author can change this post")
        return post
