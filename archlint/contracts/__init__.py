"""Import contracts: the registry, and checking every configured contract against a graph.

Each contract type is a small class (see :mod:`archlint.contracts.base`) that only asks
questions of a graph it does not own; its module docstring is its user documentation
(``archlint explain``), and the module's CODE / NAME / SEVERITY make it a rule.

Codes are stable and public:

    AL101 layers            AL103 independence      AL105 unmatched-ignore
    AL102 forbidden-import  AL104 import-cycle
"""

from __future__ import annotations

from collections.abc import Iterable

from archlint.config.model import ContractSpec
from archlint.contracts.acyclic import AcyclicContract
from archlint.contracts import base
from archlint.contracts.base import Contract
from archlint.contracts.forbidden import ForbiddenContract
from archlint.contracts.independence import IndependenceContract
from archlint.contracts.layers import LayersContract
from archlint.findings import Finding
from archlint.graph.model import ImportGraph

CONTRACTS: dict[str, type[Contract]] = {
    cls.type_name: cls
    for cls in (LayersContract, ForbiddenContract, IndependenceContract, AcyclicContract)
}

# code -> (rule name, the module whose docstring documents it). Each of those modules also
# defines CODE / NAME / SEVERITY, which is how archlint.rules finds them.
CODES: dict[str, tuple[str, str]] = {
    **{cls.code: (cls.rule, cls.__module__) for cls in CONTRACTS.values()},
    base.CODE: (base.NAME, base.__name__),
}


def contract_for(spec: ContractSpec, config_path: str) -> Contract:
    try:
        cls = CONTRACTS[spec.type]
    except KeyError:
        raise ValueError(f"unknown contract type {spec.type!r}") from None
    return cls(spec, config_path)


def check_contracts(
    graph: ImportGraph, specs: Iterable[ContractSpec], config_path: str
) -> list[Finding]:
    """Every finding of every contract, in no particular order (the engine sorts).

    Raises :class:`archlint.errors.ConfigError` for a contract that cannot be checked
    against this project (a layer that matches no module, a module in two layers).
    """
    findings: list[Finding] = []
    for spec in specs:
        findings.extend(contract_for(spec, config_path).check(graph))
    return findings


__all__ = ["CODES", "CONTRACTS", "Contract", "check_contracts", "contract_for"]
