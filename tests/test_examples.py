"""The worked examples in examples/ are kept current: each is re-run and compared."""

import os
import shlex
from pathlib import Path

import pytest
from helpers import invoke

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize(
    "name",
    [
        "plan-huabei.md",
        "plan-hardship-zh.md",
        "debts-tight-en.md",
        "debts-tight-zh.md",
        "plan-card-huabei.txt",
        "plan-card-zh.txt",
        "debts-tight-cards-zh.txt",
    ],
)
def test_worked_example_is_current(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)  # commands name files from the repository's top
    path = EXAMPLES / name
    first, _, recorded = path.read_text(encoding="utf-8").partition("\n")
    assert first.startswith("<!-- $ "), "the first line must hold the command"
    command = shlex.split(first.removeprefix("<!-- $ ").removesuffix(" -->"))
    env_words = [w for w in command if "=" in w and w.split("=")[0].isupper()]
    env = dict(w.split("=", 1) for w in env_words)
    args = [w for w in command if w not in env_words][1:]
    result = invoke(*args, env=env)
    assert result.exit_code == 0, result.output
    if os.environ.get("REPAYCLI_UPDATE_EXAMPLES"):
        path.write_text(first + "\n" + result.stdout, encoding="utf-8")
    assert result.stdout == recorded
