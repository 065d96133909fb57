from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from blog.dependencies import PostsControllerDep
from blog.middleware.auth import CurrentPrincipal
from blog.validators.common import PageQuery
from blog.validators.posts import PostCreate, PostOut, PostPageOut, PostUpdate

router = APIRouter(prefix="/posts", tags=["posts"])


@router.get("")
def list_posts(page: Annotated[PageQuery, Query()], controller: PostsControllerDep) -> PostPageOut:
    return controller.list(page)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_post(
    body: PostCreate, principal: CurrentPrincipal, controller: PostsControllerDep
) -> PostOut:
    return controller.create(principal, body)


@router.get("/{post_id}")
def read_post(post_id: UUID, controller: PostsControllerDep) -> PostOut:
    return controller.get(post_id)


@router.patch("/{post_id}")
def update_post(
    post_id: UUID, body: PostUpdate, principal: CurrentPrincipal, controller: PostsControllerDep
) -> PostOut:
    return controller.update(principal, post_id, body)


@router.delete("/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_post(post_id: UUID, principal: CurrentPrincipal, controller: PostsControllerDep) -> None:
    controller.delete(principal, post_id)
