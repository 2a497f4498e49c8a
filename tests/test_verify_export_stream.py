"""Issue 22: ``log verify --export`` reads the export as a stream (``repaycli.jsonstream``, ijson's
C parser). It must read what ``json.loads`` reads — whatever the layout, the order of the members
or where the reads split the file — and refuse what it cannot read faithfully: a key given twice,
nesting deeper than it allows, anything after the object, and a ``\\uD800``–``\\uDFFF`` escape that
is not half of a pair (yajl itself reads ``"\\ud800"`` as ``"?"`` and ``"\\ud800\\u0041"`` as
U+10041)."""

from __future__ import annotations

import io
import json
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
        (b'{"a": "\xff"}', "invalid bytes in UTF8 string"),
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
