"""The generated documents (README walkthrough, docs/commands.md) match what the commands print,
and the README's quick start does what it says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ["README.md", "docs/commands.md"]


@pytest.mark.parametrize("name", GENERATED)
def test_generated_document_is_current(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "--verbosity=1", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("REPAYCLI_")},
    )
    assert result.returncode == 0, (
        f"{name} is out of date: run `.venv/bin/cog -r {name}`\n{result.stdout}{result.stderr}"
    )


def _block_after(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(marker) + r"\s*```sh\n(.+?)\n```", text, re.S)
    assert match, marker
    return match.group(1)


def test_quick_start_leaves_repaycli_on_the_path_and_plans() -> None:
    run = _block_after("<!-- run-command -->")
    # One line a person can paste: install, put repaycli on this shell's PATH, plan.
    assert "\n" not in run
    steps = [s.strip() for s in run.split("&&")]
    assert steps[0].startswith("python3 -m venv .venv")
    assert ". .venv/bin/activate" in steps
    assert steps[-1] == "repaycli plan"
    assert steps.index(". .venv/bin/activate") < steps.index("repaycli plan")


def test_test_command_is_the_one_ci_runs() -> None:
    command = _block_after("<!-- test-command -->")
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in script
    assert command.endswith("pytest")


def test_plan_answers_in_chinese_under_a_chinese_locale(tmp_path: Path) -> None:
    """The quick start's last step, as a person runs it: `repaycli plan` by name, LANG=zh_CN,
    answering its prompts."""
    exe = Path(sys.executable).parent / "repaycli"
    env = {
        "PATH": f"{exe.parent}:/usr/bin:/bin",
        "LANG": "zh_CN.UTF-8",
        "HOME": str(tmp_path),
        "REPAYCLI_HOME": str(tmp_path / "data"),
    }
    answers = "花呗\n8000\n6000\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
    result = subprocess.run(
        ["repaycli", "plan"], input=answers, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "花呗" in out and "元" in out
    assert re.search(r"[\u4e00-\u9fff]{4}", out)
    assert "Overdue" not in out and "Monthly" not in out
