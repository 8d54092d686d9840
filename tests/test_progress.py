"""The progress bar: rate and ETA on a terminal (tqdm, on stderr), nothing when piped or in CI."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path


def _many_dags(tmp_path: Path) -> Path:
    for index in range(40):
        (tmp_path / f"dag{index}.py").write_text(
            f"from airflow.operators.bash_operator import BashOperator\nx = {index}\n"
        )
    return tmp_path


def _on_terminal(args: list[str], cwd: Path, env: dict) -> str:
    """Run with stderr on a pseudo-terminal; what the terminal showed."""
    leader, follower = pty.openpty()
    # a real terminal has a size (a fresh pty is 0x0, where a bar has no room)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    process = subprocess.Popen(
        args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env=env
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(leader)
    return shown.decode("utf-8", "replace")


def test_bar_on_a_terminal_with_rate_and_eta(tmp_path: Path):
    repo = _many_dags(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    shown = _on_terminal([sys.executable, "-m", "upgrade", "check", "--no-cache", "-j", "1", "."], repo, env)
    assert "40/40" in shown and "file/s" in shown, shown
    quiet = _on_terminal([sys.executable, "-m", "upgrade", "check", "--no-cache", "-q", "."], repo, env)
    assert "file/s" not in quiet
    in_ci = _on_terminal(
        [sys.executable, "-m", "upgrade", "check", "--no-cache", "."], repo, {**env, "CI": "true"}
    )
    assert "file/s" not in in_ci


def test_no_bar_when_piped(tmp_path: Path):
    repo = _many_dags(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "check", "--no-cache", "."],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
    )
    assert "file/s" not in result.stderr and "\r" not in result.stderr
