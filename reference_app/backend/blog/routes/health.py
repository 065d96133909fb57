"""Liveness probe for load balancers and orchestrators: outside the versioned API."""

from fastapi import APIRouter

router = APIRouter(tags=["health"])


@router.get("/health")
def read_health() -> dict[str, str]:
    return {"status": "ok"}
