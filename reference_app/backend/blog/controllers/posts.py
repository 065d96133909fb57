from uuid import UUID

from blog.services.posts import PostService
from blog.types.domain import NewPost, PostChanges, Principal
from blog.validators.common import PageQuery
from blog.validators.posts import PostCreate, PostOut, PostPageOut, PostUpdate


class PostsController:
    def __init__(self, posts: PostService) -> None:
        self._posts = posts

    def list(self, page: PageQuery) -> PostPageOut:
        return PostPageOut.model_validate(self._posts.list(page.limit, page.offset))

    def get(self, post_id: UUID) -> PostOut:
        return PostOut.model_validate(self._posts.get(post_id))

    def create(self, principal: Principal, body: PostCreate) -> PostOut:
        post = self._posts.create(principal, NewPost(title=body.title, body=body.body))
        return PostOut.model_validate(post)

    def update(self, principal: Principal, post_id: UUID, body: PostUpdate) -> PostOut:
        changes = PostChanges(title=body.title, body=body.body)
        return PostOut.model_validate(self._posts.update(principal, post_id, changes))

    def delete(self, principal: Principal, post_id: UUID) -> None:
        self._posts.delete(principal, post_id)
