"""Errors a user can act on, each a message key (see ``i18n``) plus its parameters.

The CLI turns them into one line on stderr and the exit code below; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

EXIT_OK = 0
#: Something failed that is not the user's input (a corrupt database, a disk error).
EXIT_FAILURE = 1
#: The user's input was wrong; the message says how to fix it.
EXIT_BAD_INPUT = 2


class RepayError(Exception):
    """Base class: a message key for the catalogue and the values it mentions."""

    exit_code = EXIT_FAILURE

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        details = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.key}({details})" if details else self.key


class BadInput(RepayError):
    """A value the user gave is wrong (exit code 2)."""

    exit_code = EXIT_BAD_INPUT


class Failure(RepayError):
    """The command could not do its job for a reason other than the input (exit code 1)."""

    exit_code = EXIT_FAILURE


class InEachLanguage:
    """A message parameter that reads differently in each language — names from the catalogue
    (``花呗`` / ``Huabei (Alipay)``) — chosen when the message is formatted."""

    def __init__(self, **by_lang: str) -> None:
        self.by_lang = by_lang

    def __format__(self, spec: str) -> str:
        from repaycli.i18n import DEFAULT_LANG, get_lang

        text = self.by_lang.get(get_lang(), self.by_lang.get(DEFAULT_LANG, ""))
        return format(text, spec)

    def __str__(self) -> str:
        return format(self, "")

    def __repr__(self) -> str:
        return f"InEachLanguage({self.by_lang!r})"
