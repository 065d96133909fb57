from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from blog.dependencies import CommentsControllerDep
from blog.middleware.auth import CurrentPrincipal
from blog.validators.comments import CommentCreate, CommentOut, CommentPageOut, CommentUpdate
from blog.validators.common import PageQuery

router = APIRouter(prefix="/posts/{post_id}/comments", tags=["comments"])


@router.get("")
def list_comments(
    post_id: UUID, page: Annotated[PageQuery, Query()], controller: CommentsControllerDep
) -> CommentPageOut:
    return controller.list(post_id, page)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_comment(
    post_id: UUID,
    body: CommentCreate,
    principal: CurrentPrincipal,
    controller: CommentsControllerDep,
) -> CommentOut:
    return controller.create(principal, post_id, body)


@router.patch("/{comment_id}")
def update_comment(
    post_id: UUID,
    comment_id: UUID,
    body: CommentUpdate,
    principal: CurrentPrincipal,
    controller: CommentsControllerDep,
) -> CommentOut:
    return controller.update(principal, post_id, comment_id, body)


@router.delete("/{comment_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_comment(
    post_id: UUID, comment_id: UUID, principal: CurrentPrincipal, controller: CommentsControllerDep
) -> None:
    controller.delete(principal, post_id, comment_id)
