"""The progress bar: hidden for quick runs and off a terminal, erased when the run ends."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from archlint import progress

REPO = Path(__file__).resolve().parents[1]
ERASE = "\r\x1b[K"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_drawn_before_the_delay_and_everything_is_erased_after() -> None:
    stream, clock = io.StringIO(), Clock()
    bar = progress.Bar(stream, delay=1.0, clock=clock)
    bar.phase("reading files", 10)
    bar.advance(3)
    assert stream.getvalue() == ""  # a quick run never shows a bar
    bar.close()
    assert stream.getvalue() == ""  # ... nor erases a line it did not draw
    clock.now += 1.5
    bar.advance(2)
    assert stream.getvalue() == ERASE + "archlint: reading files ▕████████████░░░░░░░░░░░░▏ 5/10"
    bar.close()
    assert stream.getvalue().endswith(ERASE)


def test_redraws_are_throttled_but_a_new_phase_always_shows() -> None:
    stream, clock = io.StringIO(), Clock()
    bar = progress.Bar(stream, delay=0.0, clock=clock)
    bar.phase("reading files", 1000)
    for _ in range(50):
        bar.advance()
    assert stream.getvalue().count(ERASE) == 1  # the phase's draw; advances came too fast
    clock.now += 0.2
    bar.advance()
    assert stream.getvalue().count(ERASE) == 2
    assert stream.getvalue().endswith("51/1,000")
    bar.phase("checking rules", 3)
    assert stream.getvalue().endswith("checking rules ▕░░░░░░░░░░░░░░░░░░░░░░░░▏ 0/3")


def test_estimates_are_capped_and_workers_never_draw() -> None:
    stream, clock = io.StringIO(), Clock()
    bar = progress.Bar(stream, delay=0.0, clock=clock)
    bar.phase("reading files", 10, scale=2)  # this process does about half the work
    clock.now += 1
    bar.advance(4)
    assert stream.getvalue().endswith(" 8/10")
    clock.now += 1
    bar.advance(5, exact=True)  # a worker's chunk, counted
    assert stream.getvalue().endswith(" 10/10")  # 13 estimated: never past the total
    before = stream.getvalue()
    bar.pid = -1  # as in a forked worker
    clock.now += 1
    bar.advance(1)
    bar.close()
    assert stream.getvalue() == before


def test_the_module_functions_do_nothing_without_a_bar() -> None:
    progress.phase("reading files", 3)
    progress.advance()
    stream = io.StringIO()
    with progress.shown(stream, enabled=False) as bar:
        progress.advance()
    assert bar is None and stream.getvalue() == ""


def test_a_bar_is_wanted_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    assert not progress.wanted(io.StringIO())
    leader, follower = pty.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as terminal:
            assert progress.wanted(terminal)
            assert not progress.wanted(terminal, quiet=True)
            monkeypatch.setenv("TERM", "dumb")
            assert not progress.wanted(terminal)
    finally:
        os.close(leader)
        os.close(follower)


def _run(stderr_is_terminal: bool, tmp_path: Path) -> tuple[str, str]:
    env = {**os.environ, "ARCHLINT_PROGRESS_DELAY": "0", "TERM": "xterm"}
    command = [sys.executable, "-m", "archlint", "check", "--no-cache", str(REPO / "fixtures" / "layered_app")]
    if not stderr_is_terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        return done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env) as child:
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        out = child.stdout.read().decode() if child.stdout else ""
    os.close(leader)
    return out, b"".join(chunks).decode()


def test_a_run_on_a_terminal_shows_the_stages_and_leaves_the_report_alone(tmp_path: Path) -> None:
    out_tty, err_tty = _run(True, tmp_path)
    out_pipe, err_pipe = _run(False, tmp_path)
    assert "archlint: reading files" in err_tty and "archlint: checking rules" in err_tty
    assert err_tty.endswith(ERASE)  # the last thing on the terminal: the bar erased
    assert "\r" not in err_pipe and "archlint: reading" not in err_pipe
    assert out_tty == out_pipe and "AL101" in out_pipe  # the report is the same
