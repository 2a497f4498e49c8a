"""Where repaycli keeps its files: ``REPAYCLI_HOME`` when set, else the platform's directories."""

from __future__ import annotations

import os
from pathlib import Path

APP = "repaycli"
DB_NAME = "repaycli.sqlite3"


#: The folder inside the data folder that practice mode uses instead (``--practice``).
PRACTICE_DIR = "practice"
#: ``--practice`` as given to this run (``set_practice``); ``None``: ``REPAYCLI_PRACTICE`` decides.
_practice: bool | None = None


def set_practice(value: bool | None) -> None:
    """Practice mode for this run: the log, agreements and plans live in a separate folder, so
    trial runs never reach the real, append-only log (nor the letters that count it)."""
    global _practice
    _practice = value


def practice_active() -> bool:
    if _practice is not None:
        return _practice
    return os.environ.get("REPAYCLI_PRACTICE", "").strip().lower() in ("1", "yes", "true", "on")


def _home() -> Path | None:
    value = os.environ.get("REPAYCLI_HOME")
    return Path(value).expanduser() if value else None


def real_data_dir() -> Path:
    """The data folder of real records, whatever the mode."""
    home = _home()
    if home is not None:
        return home
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def data_dir() -> Path:
    """Where records are kept: the real data folder, or in practice mode its ``practice``
    folder (the user's platforms and LPR file, in ``config_dir``, are shared)."""
    real = real_data_dir()
    return real / PRACTICE_DIR if practice_active() else real


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def db_path() -> Path:
    return data_dir() / DB_NAME


def user_platforms_file() -> Path:
    return config_dir() / "platforms.toml"


def last_plan_path() -> Path:
    """``repaycli plan`` saves its latest result here (JSON) for ``offer`` and ``letter``."""
    return data_dir() / "last-plan.json"


def user_lpr_file() -> Path:
    return config_dir() / "lpr.toml"


def call_draft_path() -> Path:
    """What ``repaycli call`` has typed so far (JSON), kept until the call is saved."""
    return data_dir() / "call-draft.json"
