"""Schema facts of Python migration modules (Alembic, Django), from their code facts.

Nothing is parsed again: the calls of :class:`~archlint.codefacts.CodeFacts` already hold
every operation with its arguments as :class:`~archlint.codefacts.Value` summaries, and each
nested call (``sa.Column(...)``, ``models.UUIDField(...)``) is a call record of its own with
its location. An operation's nested calls follow it in document order, so they are found by
walking forward from it.

Alembic: the calls made in ``upgrade*()`` (``downgrade()`` undoes them):
``op.create_table``, ``op.add_column``, ``op.create_index``, ``op.create_unique_constraint``,
``op.create_primary_key``, ``op.create_foreign_key``, ``op.drop_table``, ``op.drop_index``,
``op.drop_column``, the same methods of a ``batch_alter_table`` block (``batch_op.…``, the
table taken from the ``op.batch_alter_table("t")`` call before them) and raw SQL in
``op.execute("…")``. The module's ``revision`` and ``down_revision`` are kept to order the
migrations.

Django: the operations ``CreateModel`` (fields, and the options ``db_table``, ``indexes``,
``unique_together``, ``constraints``; proxy and unmanaged models create no table),
``AddField``, ``RemoveField``, ``DeleteModel``, ``AddIndex``, ``RemoveIndex``,
``AddConstraint`` (unique ones), ``AlterUniqueTogether`` and ``RunSQL``. Tables are named as
Django names them, ``<app label>_<model>`` lower-cased, with the app label left as the
``{app}`` placeholder (the file's path knows it, its contents do not). A ``ForeignKey`` or
``OneToOneField`` is a column ``<name>_id`` with an index unless ``db_index=False``, as
Django creates it; ``ManyToManyField`` tables are made by Django, not declared, and left out.

Types are translated to PostgreSQL's names (see :mod:`archlint.schema`); Python-side defaults
(``default=uuid.uuid4``) are kept as "python:<text>", database ones (``server_default``,
``db_default``) as SQL text.
"""

from __future__ import annotations

from archlint.codefacts import CodeFacts
from archlint.frontends.migrations_alembic import _Alembic
from archlint.frontends.migrations_django import _Django
from archlint.frontends.migrations_values import (
    _ALEMBIC_OPERATIONS,
    _DJANGO_OPERATIONS,
    _last,
)
from archlint.schema import SchemaFacts

MIGRATIONS_PY_VERSION = "migrations-py-1"


def schema_from_code(facts: CodeFacts) -> SchemaFacts:
    """The schema that an Alembic or Django migration module defines; empty for any other
    module. Never raises."""
    try:
        if _is_django(facts):
            return _Django(facts).run()
        if _is_alembic(facts):
            return _Alembic(facts).run()
    except (IndexError, ValueError, TypeError, AttributeError):  # odd code: no facts
        return SchemaFacts()
    return SchemaFacts()


def _is_django(facts: CodeFacts) -> bool:
    if any("migrations.Migration" in f.bases or "Migration" in f.bases for f in facts.functions
           if f.kind == "class"):  # fmt: skip
        return True
    return any(c.callee.startswith("migrations.") and _last(c.callee) in _DJANGO_OPERATIONS
               for c in facts.calls)  # fmt: skip


def _is_alembic(facts: CodeFacts) -> bool:
    names = {a.target for a in facts.assigns if a.scope == -1}
    if "revision" in names and "down_revision" in names:
        return True
    return any(c.callee.startswith("op.") and _last(c.callee) in _ALEMBIC_OPERATIONS
               for c in facts.calls)  # fmt: skip
