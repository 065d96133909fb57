"""FastAPI dependency providers: the request-scoped part of the composition root.

Each request gets its own unit of work, and services and controllers over it; routes ask for
a controller and nothing else. Tests replace the application-wide objects by passing them to
:func:`blog.app.create_app`, not by patching these functions.
"""

from typing import Annotated

from fastapi import Depends, Request

from blog.container import Container
from blog.controllers.comments import CommentsController
from blog.controllers.posts import PostsController
from blog.controllers.sessions import SessionsController
from blog.controllers.users import UsersController
from blog.services.auth import AuthService
from blog.services.comments import CommentService
from blog.services.posts import PostService
from blog.services.tokens import AccessTokenService
from blog.services.users import UserService


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_access_tokens(container: ContainerDep) -> AccessTokenService:
    return container.access_tokens


def get_users_controller(container: ContainerDep) -> UsersController:
    service = UserService(
        container.unit_of_work(), container.password_hasher, container.jobs, container.clock
    )
    return UsersController(service)


def get_sessions_controller(container: ContainerDep) -> SessionsController:
    service = AuthService(
        container.unit_of_work(),
        container.password_hasher,
        container.access_tokens,
        container.clock,
        container.settings.refresh_token_ttl,
    )
    return SessionsController(service)


def get_posts_controller(container: ContainerDep) -> PostsController:
    return PostsController(PostService(container.unit_of_work(), container.clock))


def get_comments_controller(container: ContainerDep) -> CommentsController:
    return CommentsController(CommentService(container.unit_of_work(), container.clock))


UsersControllerDep = Annotated[UsersController, Depends(get_users_controller)]
SessionsControllerDep = Annotated[SessionsController, Depends(get_sessions_controller)]
PostsControllerDep = Annotated[PostsController, Depends(get_posts_controller)]
CommentsControllerDep = Annotated[CommentsController, Depends(get_comments_controller)]
