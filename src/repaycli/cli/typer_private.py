"""Every name repaycli takes from typer's private modules, in one place.

Typer (0.27–0.29) bundles its own Click as ``typer._click`` and publishes no names for the Click
classes a custom group needs: the ``Command`` type of its subcommands, the ``UsageError`` family
that a usage mistake raises (``cli/help.py`` words each kind in the user's language) and the
``HelpFormatter`` that ``cli/help.py`` extends to translate headings and wrap by display width.
Its option coercion (``typer._coercion``) builds a pydantic ``TypeAdapter`` for every option,
which ``cli/coercion.py`` defers; typer has no public switch for that.

**When typer changes shape** (``tests/test_typer_private.py`` fails, naming what moved):

1. If typer now exports these names publicly (``typer.core``, ``typer.exceptions``), import them
   from there and delete the matching lines here.
2. If ``typer._coercion`` changed (``RuntimeParam``'s fields or ``_coerce_value``'s signature,
   ``_TyperParameter._runtime_param``), adapt ``cli/coercion.py`` to it — or, if coercion no
   longer imports pydantic for plain values, delete ``cli/coercion.py`` and its calls in
   ``cli/__init__.py``. Until then ``coercion.defer`` does nothing (typer coerces as usual) and
   only start-up time suffers: ``benchmarks/startup.py`` shows it.
3. Widen the typer pin in ``pyproject.toml`` only once the test passes.
"""

from __future__ import annotations

from typing import Any

from typer._click.core import Command
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter

# Typer's completion scripts and shell classes (``cli/completion.py``): public in
# ``typer.completion`` but imported there from its private modules, so not re-exported by name.
from typer._completion_classes import completion_init
from typer._completion_shared import get_completion_script

RuntimeParam: Any
build_runtime_param: Any
try:
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # pragma: no cover - another typer: coercion is left to typer
    RuntimeParam = None
    build_runtime_param = None

__all__ = [
    "BadOptionUsage",
    "BadParameter",
    "Command",
    "HelpFormatter",
    "MissingParameter",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "RuntimeParam",
    "UsageError",
    "build_runtime_param",
    "completion_init",
    "get_completion_script",
]
