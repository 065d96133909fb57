#!/usr/bin/env python3
"""Generate a synthetic full-stack project: a layered Python backend and a React/TS frontend.

Deterministic for a given size. The code looks like real application code (route handlers,
services, repositories with queries, components, hooks, an API client), so the rule pack has
real work to do: handlers to find, calls to classify, loops to look into.

    python benchmarks/generate_fullstack.py DIR [--files 5000]
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROUTE = '''\
from fastapi import APIRouter, HTTPException

from app.services.{name} import {Name}Service
from app.validators.{name} import {Name}In

router = APIRouter(prefix="/v1/{name}s")
service = {Name}Service()


@router.get("")
def list_{name}s(limit: int = 50) -> list[dict]:
    return [item.as_dict() for item in service.list(limit)]


@router.post("", status_code=201)
def create_{name}(payload: {Name}In) -> dict:
    item = service.create(payload.model_dump())
    if item is None:
        raise HTTPException(status_code=409)
    return item.as_dict()
'''

SERVICE = '''\
import logging

from app.repositories.{name} import {Name}Repository

logger = logging.getLogger(__name__)


class {Name}Service:
    def __init__(self, repository: {Name}Repository | None = None) -> None:
        self.repository = repository or {Name}Repository()

    def list(self, limit: int) -> list:
        return self.repository.all(limit)

    def create(self, data: dict):
        if self.repository.exists(data["name"]):
            return None
        item = self.repository.add(data)
        logger.info("created", extra={{"id": item.id}})
        return item
'''

REPOSITORY = '''\
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.{name} import {Name}


class {Name}Repository:
    def __init__(self, session: Session | None = None) -> None:
        self.session = session

    def all(self, limit: int) -> list[{Name}]:
        return list(self.session.scalars(select({Name}).limit(limit)))

    def exists(self, name: str) -> bool:
        return self.session.query({Name}).filter({Name}.name == name).count() > 0

    def add(self, data: dict) -> {Name}:
        item = {Name}(**data)
        self.session.add(item)
        return item

    def totals(self, ids: list[str]) -> dict:
        result = {{}}
        for item_id in ids:
            result[item_id] = self.session.execute(select({Name}).where({Name}.id == item_id))
        return result
'''

MODEL = '''\
import uuid

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class {Name}(Base):
    __tablename__ = "{name}s"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    name: Mapped[str] = mapped_column(String(200))

    def as_dict(self) -> dict:
        return {{"id": self.id, "name": self.name}}
'''

VALIDATOR = '''\
from pydantic import BaseModel


class {Name}In(BaseModel):
    name: str
'''

UI = '''\
import type {{ ReactNode }} from "react";

export function {Name}Button(props: {{ children: ReactNode; onClick?: () => void }}) {{
  return <button className="btn" onClick={{props.onClick}}>{{props.children}}</button>;
}}
'''

FEATURE = '''\
import {{ {Name}Button }} from "@/components/ui/{Name}Button";
import {{ use{Name}s }} from "@/hooks/use{Name}s";

export function {Name}List() {{
  const {{ data }} = use{Name}s();
  return (
    <ul>
      {{(data ?? []).map((item) => (
        <li key={{item.id}}>
          {{item.name}} <{Name}Button>open</{Name}Button>
        </li>
      ))}}
    </ul>
  );
}}
'''

HOOK = '''\
import {{ useQuery }} from "@tanstack/react-query";
import {{ api }} from "@/lib/api";
import type {{ {Name} }} from "@/types/{name}";

export function use{Name}s() {{
  return useQuery({{ queryKey: ["{name}s"], queryFn: () => api.get<{Name}[]>("/v1/{name}s") }});
}}
'''

TYPE = "export interface {Name} {{ id: string; name: string }}\n"

API = '''\
export const api = {
  async get<T>(path: string): Promise<T> {
    const response = await fetch(path, { credentials: "include" });
    if (!response.ok) throw new Error(response.statusText);
    return (await response.json()) as T;
  },
};
'''

CONFIG = """\
extends = ["fullstack"]
python.roots = ["backend"]
"""

BACKEND = [
    ("backend/app/routes/{name}.py", ROUTE),
    ("backend/app/services/{name}.py", SERVICE),
    ("backend/app/repositories/{name}.py", REPOSITORY),
    ("backend/app/models/{name}.py", MODEL),
    ("backend/app/validators/{name}.py", VALIDATOR),
]
FRONTEND = [
    ("web/src/components/ui/{Name}Button.tsx", UI),
    ("web/src/components/features/{Name}List.tsx", FEATURE),
    ("web/src/hooks/use{Name}s.ts", HOOK),
    ("web/src/types/{name}.ts", TYPE),
]


def generate(root: Path, files: int) -> int:
    """Write about ``files`` files under ``root``; returns how many were written."""
    per_entity = len(BACKEND) + len(FRONTEND)
    entities = max(1, files // per_entity)
    written = {
        "archlint.toml": CONFIG,
        "backend/app/__init__.py": "",
        "web/package.json": '{"name": "web", "private": true}\n',
        "web/tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}, "jsx": "react-jsx"}}\n',
        "web/src/lib/api.ts": API,
    }
    for package in ("routes", "services", "repositories", "models", "validators"):
        written[f"backend/app/{package}/__init__.py"] = ""
    for index in range(entities):
        name = f"thing{index:04d}"
        names = {"name": name, "Name": name.capitalize()}
        for path, template in BACKEND + FRONTEND:
            written[path.format(**names)] = template.format(**names)
    for relpath, text in written.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return len(written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args()
    print(f"{generate(args.directory, args.files)} files written to {args.directory}")


if __name__ == "__main__":
    main()
