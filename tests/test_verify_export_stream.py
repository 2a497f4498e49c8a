"""Issue 22: ``log verify --export`` reads the export as a stream (``repaycli.jsonstream``, ijson's
C parser). It must read what ``json.loads`` reads — whatever the layout, the order of the members
or where the reads split the file — and refuse what it cannot read faithfully: a key given twice,
nesting deeper than it allows, anything after the object, and a ``\\uD800``–``\\uDFFF`` escape that
is not half of a pair (yajl itself reads ``"\\ud800"`` as ``"?"`` and ``"\\ud800\\u0041"`` as
U+10041)."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import invoke, run, sample_log
from repaycli.jsonstream import MAX_DEPTH, StreamError, members
from repaycli.paths import db_path


def _read(data: bytes, chunk: int = 64 * 1024) -> dict[str, Any]:
    """The object ``members`` reads, its lists item by item, put back together."""
    found: dict[str, Any] = {}
    for key, kind, value in members(io.BytesIO(data), streamed=("entries",), chunk=chunk):
        if kind == "begin":
            found[key] = []
        elif kind == "item":
            found[key].append(value)
        else:
            found[key] = value
    return found


_SCALARS = st.none() | st.booleans() | st.integers(-(2**62), 2**62) | st.text(max_size=12)
_VALUES = st.recursive(
    _SCALARS | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.dictionaries(st.text(max_size=8), _VALUES, max_size=5),
    entries=st.lists(_VALUES, max_size=4),
    ascii_only=st.booleans(),
    indent=st.sampled_from([None, 0, 2]),
    chunk=st.integers(1, 40),
)
def test_it_reads_what_json_loads_reads(
    document: dict[str, Any], entries: list[Any], ascii_only: bool, indent: int | None, chunk: int
) -> None:
    document = {**document, "entries": entries}
    text = json.dumps(document, ensure_ascii=ascii_only, indent=indent).encode("utf-8")
    assert _read(text, chunk) == json.loads(text)


_ESCAPES = st.sampled_from(
    ["\\ud83d\\ude00", "\\ud800", "\\udc00", "\\ud800\\u0041", "\\udc00\\ud800", "\\ud800\\ud800",
     "\\\\ud800", "\\\\\\ud800", "\\u00e9", "\\\\", "x", "中", "\\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_ESCAPES, max_size=8), chunk=st.integers(1, 30))
def test_a_surrogate_escape_is_read_as_json_reads_it_or_refused(
    parts: list[str], chunk: int
) -> None:
    text = ('{"a": "' + "".join(parts) + '"}').encode("utf-8")
    expected = json.loads(text)["a"]
    lone = any(0xD800 <= ord(c) <= 0xDFFF for c in expected)
    if lone:  # json.loads keeps a lone surrogate; yajl would change it
        with pytest.raises(StreamError, match="half of a pair"):
            _read(text, chunk)
    else:
        assert _read(text, chunk) == {"a": expected}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'{"a": 1, "a": 2}', "the key 'a' is given twice"),
        (b'{"entries": [{"id": 1, "id": 1}]}', "the key 'id' is given twice"),
        (b'{"b": {"c": {"d": 1, "d": 1}}}', "the key 'd' is given twice"),
        (b'{"a": 1} {"a": 2}', "trailing garbage"),
        (b'{"a": 1},', "trailing garbage"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"a": NaN}', "lexical error"),
        (b'{"a": "\xff"}', r"the file is not UTF-8 text \(byte 8\)"),
        (b'{"a": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}", "nested too deeply"),
        # 100,000 levels: ijson's own paths would take gigabytes before any error
        (b'{"entries": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", "nested too deeply"),
    ],
)
def test_what_it_refuses(text: bytes, message: str) -> None:
    with pytest.raises(StreamError, match=message):
        _read(text)


def test_the_deepest_nesting_allowed_is_read() -> None:
    depth = MAX_DEPTH - 1
    text = b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
    assert _read(text) == json.loads(text)


# --- any layout of a real export ----------------------------------------------------------------


@pytest.fixture
def export(_isolated: Path) -> dict[str, Any]:
    """An export with entries, a correction, a closed follow-up and events."""
    db_path().parent.mkdir(parents=True, exist_ok=True)
    sample_log(db_path())
    env = {"REPAYCLI_TODAY": "2026-11-21"}
    added = invoke("agreement", "add", "--platform", "huabei", "--first-due", "2026-12-01",
                   "--total", "3000", "--periods", "6", "--no-input", env=env)  # fmt: skip
    assert added.exit_code == 0, added.output
    assert invoke("pay", "1", "--amount", "500", env=env).exit_code == 0
    made = invoke("log", "export", "--format", "json")
    assert made.exit_code == 0, made.output
    document: dict[str, Any] = json.loads(made.stdout)
    assert document["events_count"] >= 3 and any(e["corrected_by"] for e in document["entries"])
    return document


def _layouts(document: dict[str, Any]) -> dict[str, str]:
    keys = list(document)
    last_first = {k: document[k] for k in reversed(keys)}  # seal, events, entries … count
    events_first = {"events": document["events"], **document}
    return {
        "sorted, one line": json.dumps(document, sort_keys=True, ensure_ascii=False),
        "members in reverse": json.dumps(last_first, ensure_ascii=False, indent=1),
        "events before entries": json.dumps(events_first, ensure_ascii=True, indent="\t"),
        "count last": json.dumps(
            {**{k: v for k, v in document.items() if k != "count"}, "count": document["count"]}
        ),
    }


def test_an_export_in_any_layout_is_checked_alike(
    export: dict[str, Any], tmp_path: Path
) -> None:
    for name, text in _layouts(export).items():
        path = tmp_path / "log.json"
        path.write_text(text, encoding="utf-8")
        done = run("log", "verify", "--export", str(path))
        assert (done.returncode, done.stderr) == (0, ""), name
        assert "It matches the log." in done.stdout, name


def test_a_field_the_seal_covers_is_caught_in_any_layout(
    export: dict[str, Any], tmp_path: Path
) -> None:
    """``exported_at`` is in no entry's hash: only the seal, read in a second pass when the
    count comes after the entries or the events before them, catches its change."""
    edited = {**export, "exported_at": "2020-01-01T00:00:00+08:00"}
    for name, text in _layouts(edited).items():
        path = tmp_path / "log.json"
        path.write_text(text, encoding="utf-8")
        result = invoke("log", "verify", "--export", str(path))
        assert result.exit_code == 1, name
        assert "seal" in result.stderr, (name, result.stderr)


def test_an_export_with_a_key_twice_is_not_read(export: dict[str, Any], tmp_path: Path) -> None:
    """Read whole, the second ``entries`` won; streamed, both would be read: neither is."""
    text = json.dumps(export, ensure_ascii=False)
    path = tmp_path / "log.json"
    path.write_text(text[:-1] + ', "entries": []}', encoding="utf-8")
    result = invoke("log", "verify", "--export", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read the export {path}: the key 'entries' is given twice\n"
    )


# --- a pipe, a file changed between two readings, bytes the reader cannot take ------------------


def _forged(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its first entry's agent changed (its hash no longer matches)."""
    entries = [dict(e) for e in document["entries"]]
    entries[0]["agent"] = str(entries[0]["agent"]) + " (edited)"
    return {**document, "entries": entries}


def test_an_export_through_a_pipe_is_read_once(export: dict[str, Any]) -> None:
    """``cat ex.json | repaycli log verify --export /dev/stdin``: the writer's order is read once;
    an order whose seal needs a second reading is refused in one line; a forgery still is."""
    written = json.dumps(export, ensure_ascii=False, indent=2)
    done = run("log", "verify", "--export", "/dev/stdin", input="\ufeff \n" + written)
    assert (done.returncode, done.stderr) == (0, "")
    assert "It matches the log." in done.stdout
    for name in ("events before entries", "count last"):
        done = run("log", "verify", "--export", "/dev/stdin", input=_layouts(export)[name])
        assert done.returncode == 2, name
        assert done.stderr == (
            "Error: /dev/stdin cannot be read a second time (it is a pipe or a device, not a "
            "regular file), and this export must be: its count comes after its entries, or its "
            "events before them; save it to a file and check that file\n"
        ), name
    forged = json.dumps(_forged(export), ensure_ascii=False)
    done = run("log", "verify", "--export", "/dev/stdin", input=forged)
    assert done.returncode == 1
    assert "the export was changed" in done.stderr, done.stderr
    zh = run("log", "verify", "--export", "/dev/stdin", "--lang", "zh",
             input=_layouts(export)["count last"])  # fmt: skip
    assert zh.returncode == 2
    assert zh.stderr.count("\n") == 1 and "无法再读一遍" in zh.stderr, zh.stderr


def test_an_export_from_a_fifo_is_read(export: dict[str, Any], tmp_path: Path) -> None:
    """``--export <(zcat log.json.gz)`` gives a FIFO-like path: read as it comes."""
    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)
    text = json.dumps(export, ensure_ascii=False).encode("utf-8")

    def write() -> None:
        with open(fifo, "wb") as sink:
            sink.write(text)

    writer = threading.Thread(target=write, daemon=True)  # never holds pytest at exit
    writer.start()
    try:
        done = run("log", "verify", "--export", str(fifo))
    finally:
        writer.join(timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert "It matches the log." in done.stdout


def test_a_folder_given_as_the_export_is_refused_in_one_line(tmp_path: Path) -> None:
    done = run("log", "verify", "--export", str(tmp_path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"Error: {tmp_path} is a folder; give the export file itself\n"


def test_a_file_edited_in_place_between_its_readings_is_refused(
    export: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events before entries: the seal needs the file read again. Edited in place between the
    readings, its size kept and its modification time set back, the file is not the one read:
    refused (only the change time, which ``utime`` cannot set, shows it)."""
    from repaycli.cli import log as log_cli

    path = tmp_path / "log.json"
    text = _layouts(export)["events before entries"].encode("utf-8")
    path.write_bytes(text)
    at = text.index(b"\t")
    reads = 0
    first_members = log_cli._ExportFile.members

    def edit_between(self: Any) -> Any:
        nonlocal reads
        reads += 1
        if reads == 2:  # the first reading is done; the second is about to start
            before = os.stat(path)
            with open(path, "r+b") as handle:  # white space only: the export reads the same
                handle.seek(at)
                handle.write(b" ")
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
            after = os.stat(path)
            assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        return first_members(self)

    monkeypatch.setattr(log_cli._ExportFile, "members", edit_between)
    result = invoke("log", "verify", "--export", str(path))
    assert reads >= 2
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: cannot read the export {path}: it changed while it was read\n"


_LARGE = ("it holds a number too large for an export", "其中有一个导出文件不可能有的过大数字")


def _not_utf8(byte: int) -> tuple[str, str]:
    return f"the file is not UTF-8 text (byte {byte})", f"文件不是 UTF-8 文本（第 {byte} 字节）"


_UNREADABLE = [
    (b'{"a": "\xff"}', *_not_utf8(8)),
    (b'{"a": "x\xc1\x94"}', *_not_utf8(9)),  # an overlong form of U+0054
    (b'{"a": "\xed\xa0\x80"}', *_not_utf8(8)),  # U+D800 encoded
    (b'\xef\xbb\xbf{"a": "\xe4\xb8"}', *_not_utf8(11)),  # a character cut off, after a BOM
    (b'{"a": 123456789012345678901234567890}', *_LARGE),
    (b'{"a": -99999999999999999999}', *_LARGE),
    (b'{"a": 1e400}', *_LARGE),
]


@pytest.mark.parametrize(("data", "english", "chinese"), _UNREADABLE)
def test_bytes_the_reader_cannot_take_are_named_in_one_line(
    data: bytes, english: str, chinese: str, tmp_path: Path
) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(data)
    result = invoke("log", "verify", "--export", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot read the export {path}: {english}\n"
    zh = run("log", "verify", "--export", str(path), "--lang", "zh")
    assert zh.returncode == 2
    assert zh.stderr.endswith(f"{path}：{chinese}\n") and zh.stderr.count("\n") == 1, zh.stderr


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64 * 1024])
def test_a_byte_that_is_not_utf8_is_found_wherever_the_reads_split(chunk: int) -> None:
    text = '{"a": "中文", "b": "é"}'.encode()
    bad = text.replace("é".encode(), b"\xc3\x28")
    assert _read(text, chunk) == json.loads(text)
    byte = bad.index(b"\xc3") + 1
    with pytest.raises(StreamError, match=rf"not UTF-8 text \(byte {byte}\)"):
        _read(bad, chunk)
    cut = b'{"a": "x\xe4\xb8'  # a character cut off at the end
    with pytest.raises(StreamError, match=rf"not UTF-8 text \(byte {len(cut) - 1}\)"):
        _read(cut, chunk)
