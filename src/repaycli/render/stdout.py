"""Writing to stdout completely or not at all quietly.

``sys.stdout.buffer.write`` returns the bytes it took, and on a size-limited file (``ulimit -f``)
or a nearly full disk it takes part of them and says nothing: ``repaycli log export > file``
then left a cut-short file and exit 0. Here every write loops until all is written, so the next
attempt raises the ``OSError`` (EFBIG, ENOSPC) that the CLI turns into one line and exit 1.
"""

from __future__ import annotations

import errno
import io
from typing import TextIO


def write_all(
    stream: TextIO, text: str, *, encoding: str | None = None, flush: bool = True
) -> None:
    """Write ``text`` to ``stream`` in full (through its byte buffer when it has one); a caller
    that streams many blocks passes ``flush=False`` and flushes once at the end."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    data = memoryview(
        text.encode(
            encoding or stream.encoding or "utf-8", getattr(stream, "errors", None) or "strict"
        )
    )
    while data:
        written = buffer.write(data)
        if not written:
            raise OSError(errno.EIO, "the output was cut short")
        data = data[written:]
    if flush:
        buffer.flush()


class CompleteWriter(io.TextIOBase):
    """A text stream for rich's ``Console`` that writes through ``write_all``."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        write_all(self._stream, text)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding or "utf-8"
