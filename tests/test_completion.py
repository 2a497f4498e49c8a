"""Issue 11: shell completion for bash, zsh and fish (``repaycli completion SHELL``), through
typer's own protocol, without slowing the start of any other command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import invoke, repaycli_exe, run


def _script(shell: str) -> str:
    done = run("completion", shell)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _complete(shell: str, line: str, **env: str) -> str:
    """What typer answers a ``shell`` asking to complete ``line`` (the env protocol the printed
    script uses)."""
    words = line.split(" ")
    protocol = {
        "bash": {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)},
        "zsh": {"_TYPER_COMPLETE_ARGS": line},
        "fish": {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
    }[shell]
    done = run(env={**protocol, "_REPAYCLI_COMPLETE": f"complete_{shell}", **env})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_bash_script_is_valid_and_completes_pl_to_plan(tmp_path: Path) -> None:
    script = tmp_path / "repaycli.bash"
    script.write_text(_script("bash"), encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    # What bash does on `repaycli pl<TAB>` and `repaycli log a<TAB>`: the function the script
    # registers, with COMP_WORDS / COMP_CWORD set.
    driver = (
        f"source {script}\n"
        "COMP_WORDS=(repaycli pl); COMP_CWORD=1; _repaycli_completion repaycli\n"
        'echo "1:${COMPREPLY[*]}"\n'
        "COMP_WORDS=(repaycli log a); COMP_CWORD=2; _repaycli_completion repaycli\n"
        'echo "2:${COMPREPLY[*]}"\n'
        "complete -p repaycli\n"
    )
    path = f"{Path(repaycli_exe()).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-c", driver], capture_output=True, text=True, env={**os.environ, "PATH": path},
        check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split(":")[1].split() == ["plan", "platforms"]
    assert lines[1] == "2:add"
    assert "_repaycli_completion repaycli" in lines[2]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_zsh_and_fish_scripts(shell: str, tmp_path: Path) -> None:
    text = _script(shell)
    assert "_REPAYCLI_COMPLETE=complete_" + shell in text
    assert ("compdef _repaycli_completion repaycli" if shell == "zsh" else
            "complete --command repaycli") in text  # fmt: skip
    if shutil.which(shell):  # check the syntax where the shell is installed
        script = tmp_path / f"repaycli.{shell}"
        script.write_text(text, encoding="utf-8")
        assert subprocess.run([shell, "-n", str(script)], check=False).returncode == 0
    answer = _complete(shell, "repaycli pl")
    assert "plan" in answer and "platforms" in answer and "pay" not in answer


def test_completion_describes_commands_in_the_users_language() -> None:
    zh = _complete("fish", "repaycli pl", REPAYCLI_LANG="zh")
    assert "plan\t算出" in zh
    en = _complete("fish", "repaycli pl", REPAYCLI_LANG="en")
    assert "plan\tWork out" in en
    options = _complete("zsh", "repaycli log add --pl", REPAYCLI_LANG="zh")
    assert '"--platform":"平台或机构' in options


def test_an_unknown_shell_is_one_line() -> None:
    result = invoke("completion", "tcsh")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: SHELL: tcsh is not one of: bash, zsh, fish (see 'repaycli completion -h')\n"
    )


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['repaycli', *{list(args)!r}]\n"
        "from repaycli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "from repaycli.i18n import catalogue\n"
        "print('catalogue', catalogue.cache_info().currsize)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, "REPAYCLI_LANG": "zh"},
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[-2] == "catalogue 0", (args, done.stdout)  # no message catalogue was read
    return set(lines[-1].split())


@pytest.mark.parametrize("args", [["--version"], ["remind"]])
def test_other_commands_load_neither_completion_nor_the_catalogues(args: list[str]) -> None:
    loaded = _modules_after(*args)
    # (typer itself imports its completion modules; repaycli adds nothing of its own)
    assert not {"repaycli.cli.completion", "repaycli.cli.help", "tomllib", "rich.cells"} & loaded
