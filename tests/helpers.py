"""Shared test helpers: running the CLI in-process and as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from repaycli.cli import app

runner = CliRunner()


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, env=env)


def repaycli_exe() -> str:
    found = Path(sys.executable).parent / "repaycli"
    if found.exists():
        return str(found)
    which = shutil.which("repaycli")
    assert which, "the repaycli console script is not installed"
    return which


def run(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``repaycli`` with the test environment (plus ``env``)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [repaycli_exe(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        input=input,
        timeout=timeout,
        check=False,
    )


#: ``repaycli log add`` with the flags every log test needs.
LOG_ADD = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"]


def run_in_process(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one in-process run."""
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def add_entry(*extra: str) -> str:
    """Log one pending phone contact with Huabei (plus ``extra`` flags); its stdout."""
    code, out, err = run_in_process(*LOG_ADD, "--outcome", "pending", *extra)
    assert code == 0, err
    return out
