from blog.services.users import UserService
from blog.types.domain import NewUser, Principal
from blog.validators.users import UserCreate, UserOut


class UsersController:
    def __init__(self, users: UserService) -> None:
        self._users = users

    def sign_up(self, body: UserCreate) -> UserOut:
        user = self._users.register(
            NewUser(email=str(body.email), password=body.password, display_name=body.display_name)
        )
        return UserOut.model_validate(user)

    def me(self, principal: Principal) -> UserOut:
        return UserOut.model_validate(self._users.get(principal.user_id))
