from fastapi import APIRouter, status

from blog.dependencies import UsersControllerDep
from blog.middleware.auth import CurrentPrincipal
from blog.validators.users import UserCreate, UserOut

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=status.HTTP_202_ACCEPTED)
def sign_up(body: UserCreate, controller: UsersControllerDep) -> UserOut:
    """Create an account. 202: the welcome mail is queued, not sent yet."""
    return controller.sign_up(body)


@router.get("/me")
def read_me(principal: CurrentPrincipal, controller: UsersControllerDep) -> UserOut:
    return controller.me(principal)
