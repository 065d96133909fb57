"""Version 1 of the API: every resource router, under ``/api/v1``."""

from fastapi import APIRouter

from blog.routes import comments, posts, sessions, users

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(users.router)
api_router.include_router(sessions.router)
api_router.include_router(posts.router)
api_router.include_router(comments.router)
