"""Reading one large JSON object from a file as a stream (``log verify --export``): its members in
the order written, and the items of the lists named one at a time, so that memory holds one item,
not the file. Parsed by ijson's C backend (yajl); this module imports it when first used.

What is refused (``StreamError``, a ``ValueError``) is what ``json.loads`` refuses, and more: a
key twice in one object (``json.loads`` kept the last; a reader that streams would see both), a
nesting deeper than ``MAX_DEPTH``, anything after the object, and a ``\\uD800``–``\\uDFFF``
escape that is not one half of a pair (yajl would read it as ``?``, or join it with the escape
after it, so the text checked would not be the text in the file). Any layout is read alike:
nothing depends on where the lines break or on the order of the members.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Collection, Iterator
from sys import intern
from typing import Any, Protocol

#: Nesting a file may have: an export's own is 6 deep (document, events, event, body, payments,
#: payment). ``json.loads`` stopped near 1,000; ijson, unbounded, builds each level's path, so
#: 100,000 levels take gigabytes before an error.
MAX_DEPTH = 200
#: Bytes read at a time.
CHUNK = 64 * 1024

#: A member of the object: ``(key, VALUE, value)``; a list named in ``streamed``: ``(key, BEGIN,
#: None)`` then ``(key, ITEM, item)`` for each item.
VALUE, BEGIN, ITEM = "value", "begin", "item"


class Readable(Protocol):
    """What ``members`` reads from: a file opened in binary mode, or anything that reads alike."""

    def read(self, size: int, /) -> bytes: ...


class StreamError(ValueError):
    """The file is not one JSON object as this reader takes it (the message says why; ``reason``,
    where given, names the message's i18n key under ``export_stream.``, with ``params``)."""

    def __init__(self, message: str, reason: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


#: yajl's words for a number it cannot hold (beyond 64 bits; beyond a float's range).
_OVERFLOW = ("integer overflow", "numeric (floating point) overflow")


def members(
    handle: Readable, *, streamed: Collection[str] = (), chunk: int = CHUNK, start: int = 0
) -> Iterator[tuple[str, str, Any]]:
    """The members of the JSON object in ``handle`` (UTF-8, with or without a byte-order mark),
    in the order written; the lists named in ``streamed`` item by item. Raises ``StreamError``
    for what the module refuses, and on the first error of the JSON text, as it is reached
    (``start``: how many bytes of the file were read before ``handle``'s, to name a byte by
    its place in the file)."""
    import ijson

    events = iter(ijson.basic_parse(_Source(handle, start), buf_size=chunk, use_float=True))
    try:
        yield from _members(events, streamed)
    except ijson.JSONError as exc:
        said = exc.args[0] if exc.args else ""
        if isinstance(said, bytes):  # yajl's message, with the text it quotes, as bytes
            said = said.decode("utf-8", "replace")
        line = str(said).strip().splitlines()[0][:200] if str(said).strip() else "not JSON"
        if any(words in line for words in _OVERFLOW):
            raise StreamError("a number too large for an export", "number_too_large") from None
        raise StreamError(line) from None
    except UnicodeDecodeError:  # yajl passes a lone low surrogate on as bytes
        raise StreamError("a \\u escape that is half of a pair") from None


def _members(
    events: Iterator[tuple[str, Any]], streamed: Collection[str]
) -> Iterator[tuple[str, str, Any]]:
    event, _ = next(events, ("", None))
    if event != "start_map":
        raise StreamError("not a JSON object")
    seen: set[str] = set()
    for event, key in events:
        if event == "end_map":
            break
        if key in seen:
            raise StreamError(f"the key {_shown(key)} is given twice")
        seen.add(key)
        event, value = next(events, ("", None))
        if event == "start_array" and key in streamed:
            yield key, BEGIN, None
            for event, value in events:
                if event == "end_array":
                    break
                yield key, ITEM, _value(event, value, events, MAX_DEPTH - 2)
        else:
            yield key, VALUE, _value(event, value, events, MAX_DEPTH - 1)
    for _ in events:  # yajl reports anything after the object
        pass


def _value(event: str, value: Any, events: Iterator[tuple[str, Any]], room: int) -> Any:
    """The value that starts with ``event``, built from the events that follow (``room``:
    how many levels of nesting it may open)."""
    if event == "start_map":
        root: Any = {}
    elif event == "start_array":
        root = []
    else:
        return value
    if room < 1:
        raise StreamError("nested too deeply")
    stack = [root]
    top, in_map, key = root, event == "start_map", ""
    for event, value in events:
        if event == "map_key":
            key = intern(value)  # as json.loads shares them: the checks look keys up by name
            if key in top:
                raise StreamError(f"the key {_shown(key)} is given twice")
        elif event == "end_map" or event == "end_array":
            stack.pop()
            if not stack:
                return root
            top = stack[-1]
            in_map = type(top) is dict
        elif event == "start_map" or event == "start_array":
            new: Any = {} if event == "start_map" else []
            if in_map:
                top[key] = new
            else:
                top.append(new)
            if len(stack) >= room:
                raise StreamError("nested too deeply")
            stack.append(new)
            top, in_map = new, event == "start_map"
        elif in_map:
            top[key] = value
        else:
            top.append(value)
    return root  # not reached: yajl ends an unfinished text with an error


def _shown(key: str) -> str:
    return repr(key[:40] + ("…" if len(key) > 40 else ""))


#: A ``\uD800``–``\uDFFF`` escape, if the backslash is not itself escaped.
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_HIGH = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")
#: Bytes kept from one read to the next: a pair of escapes (12 bytes) and the 6 before a low
#: half, so that each escape is judged once, whole, with what is around it.
_KEEP = 17
_JUDGED = 11  # an escape starting this close to the end is judged with the next read


class _Source:
    """The file as ijson reads it: without a UTF-8 byte-order mark, refused at its first byte
    that is not UTF-8 (Python's decoder: yajl lets overlong forms and encoded surrogates
    through), and at the first surrogate escape that is not half of a pair (found with one
    regular-expression search per read; only a read that holds such an escape is looked at
    more closely)."""

    def __init__(self, raw: Readable, start: int = 0) -> None:
        self._raw = raw
        self._at = start  # bytes of the file read before this read
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._kept = b""
        self._from = 0  # the first position of ``_kept`` not judged yet
        self._before = 0  # backslashes just before ``_kept``
        self._started = False

    def read(self, size: int) -> bytes:
        if size == 0:  # ijson asks whether the file gives bytes
            return b""
        chunk = self._raw.read(size)
        self._check_utf8(chunk)
        if not self._started:
            self._started = True
            chunk = chunk.removeprefix(b"\xef\xbb\xbf")
        data = self._kept + chunk
        end = len(data) if not chunk else len(data) - _JUDGED
        if _SURROGATE.search(data, self._from):
            self._judge(data, self._from, end)
        judged = max(end, self._from)
        kept_at = max(len(data) - _KEEP, 0)
        before = data[:kept_at]
        run = len(before) - len(before.rstrip(b"\\"))
        self._before = run + self._before if run == len(before) else run
        self._kept = data[kept_at:]
        self._from = max(judged - kept_at, 0)
        return chunk

    def _check_utf8(self, chunk: bytes) -> None:
        """Refuse ``chunk`` (empty: the end of the file) at its first byte that is not UTF-8."""
        pending = len(self._utf8.getstate()[0])  # a character's first bytes, from the last read
        try:
            if pending or not chunk.isascii():
                self._utf8.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            byte = self._at - pending + exc.start + 1
            raise StreamError(
                f"the file is not UTF-8 text (byte {byte})", "not_utf8", byte=byte
            ) from None
        self._at += len(chunk)

    def _judge(self, data: bytes, start: int, end: int) -> None:
        for found in _SURROGATE.finditer(data, start):
            at = found.start()
            if at >= end:
                return
            if not self._escaped(data, at):
                continue
            low = data[at + 3] in b"cdefCDEF"
            if low:  # the second half of a pair: a high half just before it
                whole = at >= 6 and _HIGH.match(data, at - 6) and self._escaped(data, at - 6)
            else:
                whole = bool(_HIGH.match(data, at))
            if not whole:
                raise StreamError("a \\u escape that is half of a pair")

    def _escaped(self, data: bytes, at: int) -> bool:
        """Whether the backslash at ``at`` starts an escape (an even run of them before it)."""
        back = at
        while back and data[back - 1] == 0x5C:
            back -= 1
        run = at - back + (self._before if back == 0 else 0)
        return run % 2 == 0
