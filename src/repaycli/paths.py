"""Where repaycli keeps its files: ``REPAYCLI_HOME`` when set, else the platform's directories."""

from __future__ import annotations

import os
from pathlib import Path

APP = "repaycli"
DB_NAME = "repaycli.sqlite3"


def _home() -> Path | None:
    value = os.environ.get("REPAYCLI_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


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
