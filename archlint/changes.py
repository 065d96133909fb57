"""``check --changed-since REF``: which files changed, asked of git.

Changed means: what differs between the merge-base of REF and HEAD and the working tree
(commits since the branch left REF, plus staged and unstaged edits), plus untracked files
that are not ignored. That is what a pull request adds to REF, and what a developer is
about to commit. A rename counts as its new path; deleted files hold no findings.

The whole project is still checked (a contract's chain runs through unchanged files, and
rules such as "foreign key without an index" look at other files): only the report is
narrowed to findings that touch a changed file, a chain through any hop in one.

git runs from the project root with a list argv (never a shell), with ``-z`` so that paths
with spaces, quotes or non-ASCII letters come through verbatim, relative to the root
(``--relative`` for diff; ``ls-files`` is relative to its working directory already).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Collection

from archlint.errors import UsageError
from archlint.findings import Finding

_FETCH_HINT = (
    "fetch more history: `git fetch --unshallow` (or `git fetch --deepen N`), or in GitHub "
    "Actions actions/checkout with `fetch-depth: 0`"
)


class _GitFailed(Exception):
    def __init__(self, returncode: int, stderr: str) -> None:
        super().__init__(stderr)
        self.returncode = returncode
        self.stderr = stderr


def _git(root: str, *args: str) -> str:
    """git's stdout (decoded as paths are); _GitFailed on a non-zero exit."""
    # No optional locks: `git diff` against the working tree would otherwise refresh and
    # rewrite the index, racing the user's own git commands.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, env=env, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, and git is not installed (not on PATH)") from None
    except OSError as error:
        raise UsageError(f"--changed-since: cannot run git: {error}") from None
    if done.returncode != 0:
        raise _GitFailed(done.returncode, os.fsdecode(done.stderr).strip())
    return os.fsdecode(done.stdout)


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else "no message"


def _is_shallow(root: str) -> bool:
    try:
        return _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except _GitFailed:
        return False


def _merge_base(root: str, ref: str) -> str:
    """The commit REF and HEAD last shared; UsageError with the fix when there is none."""
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except _GitFailed as failed:
        raise UsageError(
            f"--changed-since: the project root '{root}' is not in a git work tree "
            f"(git: {_first_line(failed.stderr)})"
        ) from None
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except _GitFailed:
        raise UsageError("--changed-since: the repository has no commits yet (no HEAD)") from None
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except _GitFailed:
        if _is_shallow(root):
            raise UsageError(
                f"--changed-since: unknown revision '{ref}': this is a shallow clone, which "
                f"may not have fetched it; {_FETCH_HINT}"
            ) from None
        raise UsageError(
            f"--changed-since: unknown revision '{ref}' (not a branch, tag or commit here; "
            f"a remote branch must be fetched first, e.g. `git fetch origin {ref.split('/')[-1]}`)"
        ) from None
    try:
        return _git(root, "merge-base", ref, "HEAD").strip()
    except _GitFailed as failed:
        if _is_shallow(root):
            raise UsageError(
                f"--changed-since: '{ref}' and HEAD have no common commit in this shallow "
                f"clone's history; {_FETCH_HINT}"
            ) from None
        detail = f" (git: {_first_line(failed.stderr)})" if failed.stderr else ""
        raise UsageError(f"--changed-since: '{ref}' and HEAD share no history{detail}") from None


def _split(output: str) -> list[str]:
    return [path for path in output.split("\0") if path]


def changed_files(root: str, ref: str) -> frozenset[str]:
    """The project's files changed since REF, as posix paths relative to ``root``."""
    if not ref or ref.startswith("-"):  # never let a REF be read as an option
        raise UsageError(f"--changed-since: '{ref}' is not a git revision")
    base = _merge_base(root, ref)
    try:
        # The merge-base against the working tree: commits, staged and unstaged at once.
        tracked = _git(
            root, "diff", "--name-only", "-z", "--relative", "--find-renames",
            "--diff-filter=d", "--no-ext-diff", "--ignore-submodules", base, "--",
        )  # fmt: skip
        untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    except _GitFailed as failed:
        raise UsageError(f"--changed-since: git failed: {_first_line(failed.stderr)}") from None
    # git writes "/" on every OS; the paths of findings are posix too.
    return frozenset((*_split(tracked), *_split(untracked)))


def touches_changed(finding: Finding, changed: Collection[str]) -> bool:
    """Whether the finding is in a changed file or its chain has a hop in one."""
    return finding.path in changed or any(hop.path in changed for hop in finding.chain)
