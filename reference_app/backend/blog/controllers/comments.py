from uuid import UUID

from blog.services.comments import CommentService
from blog.types.domain import Principal
from blog.validators.comments import CommentCreate, CommentOut, CommentPageOut, CommentUpdate
from blog.validators.common import PageQuery


class CommentsController:
    def __init__(self, comments: CommentService) -> None:
        self._comments = comments

    def list(self, post_id: UUID, page: PageQuery) -> CommentPageOut:
        return CommentPageOut.model_validate(self._comments.list(post_id, page.limit, page.offset))

    def create(self, principal: Principal, post_id: UUID, body: CommentCreate) -> CommentOut:
        return CommentOut.model_validate(self._comments.create(principal, post_id, body.body))

    def update(
        self, principal: Principal, post_id: UUID, comment_id: UUID, body: CommentUpdate
    ) -> CommentOut:
        comment = self._comments.update(principal, post_id, comment_id, body.body)
        return CommentOut.model_validate(comment)

    def delete(self, principal: Principal, post_id: UUID, comment_id: UUID) -> None:
        self._comments.delete(principal, post_id, comment_id)
