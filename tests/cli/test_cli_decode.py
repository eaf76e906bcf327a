"""``--encoding`` and decoding: every encoding read back, bad bytes named by line and offset."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore.cli import main
from crmcore.cli._decode import ENCODINGS, DecodedText, DecodingError

TEXT = "id,identity.name.given,identity.name.family\nc-1,José,Müller\nc-2,Zoë,Ørsted\n"


def _names(path: Path) -> list[tuple[object, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    return [(r["identity"]["name"]["given"], r["identity"]["name"]["family"]) for r in records]


def _lines(data: bytes, encoding: str = "utf-8", chunk: int | None = None) -> list[str]:
    if chunk is not None:
        import crmcore.cli._decode as decode

        saved, decode._CHUNK = decode._CHUNK, chunk
        try:
            return list(DecodedText(io.BytesIO(data), encoding).lines())
        finally:
            decode._CHUNK = saved
    return list(DecodedText(io.BytesIO(data), encoding).lines())


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
        ("utf-8-sig", TEXT.encode("utf-8-sig")),
        ("cp1252", TEXT.encode("cp1252")),
        ("latin-1", TEXT.encode("latin-1")),
        ("utf-16", TEXT.encode("utf-16")),
        ("utf-16", b"\xfe\xff" + TEXT.encode("utf-16-be")),
    ],
)
def test_each_encoding_round_trips_through_convert(
    tmp_path: Path, encoding: str, data: bytes
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(data)
    out = tmp_path / "out.jsonl"
    assert main(["convert", str(source), "--encoding", encoding, "-o", str(out)]) == 0
    assert _names(out) == [("José", "Müller"), ("Zoë", "Ørsted")]


def test_a_bad_byte_on_line_3_names_line_3_and_its_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = b"id,identity.name.given\n"
    good = b"c-1,Ada\n"
    source = tmp_path / "contacts.csv"
    source.write_bytes(header + good + b"c-2,Jos\xe9\nc-3,Bob\n")
    out = tmp_path / "out.jsonl"
    assert main(["convert", str(source), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    offset = len(header + good) + len(b"c-2,Jos")
    assert f"line 3, byte offset {offset}: not valid utf-8" in err
    assert "--encoding cp1252" in err
    assert "Jos" not in err
    # the rows before the bad byte were written
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["c-1"]


def test_a_bad_byte_is_found_across_chunks_and_line_endings() -> None:
    data = b"h\r\nok\rok\n" + b"x" * 10 + b"\xff\n"
    for chunk in (1, 2, 3, 7, 1 << 16):
        with pytest.raises(DecodingError, match=rf"line 4, byte offset {len(data) - 2}:"):
            _lines(data, chunk=chunk)


def test_cp1252_undefined_bytes_and_utf16_without_mark_are_errors() -> None:
    with pytest.raises(DecodingError, match="line 2, byte offset 2: not valid cp1252"):
        _lines(b"a\n\x81\n", "cp1252")
    with pytest.raises(DecodingError, match="no UTF-16 byte-order mark"):
        _lines("a\n".encode("utf-16-le"), "utf-16")
    with pytest.raises(DecodingError, match="give --encoding utf-16"):
        _lines("a\n".encode("utf-16"))


def test_cr_only_line_endings_are_lines(tmp_path: Path) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(TEXT.replace("\n", "\r").encode("utf-8"))
    out = tmp_path / "out.jsonl"
    assert main(["convert", str(source), "-o", str(out)]) == 0
    assert _names(out) == [("José", "Müller"), ("Zoë", "Ørsted")]


def test_a_quoted_cell_keeps_its_cr_only_line_break(tmp_path: Path) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(b'id,identity.addresses[0].lines[]\rc-1,"1 High St\rFlat 2"\rc-2,x\r')
    out = tmp_path / "out.jsonl"
    assert main(["convert", str(source), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["c-1", "c-2"]


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"])
def test_stdin_skips_a_byte_order_mark_like_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mark: bytes
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(mark + TEXT.encode("utf-8")))
    out = tmp_path / "out.jsonl"
    code = main(["convert", "-", "--type", "contact", "--format", "csv", "-o", str(out)])
    assert code == 0
    assert _names(out) == [("José", "Müller"), ("Zoë", "Ørsted")]


def test_stdin_takes_the_encoding_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(TEXT.encode("utf-16")))
    out = tmp_path / "out.jsonl"
    args = ["convert", "-", "--type", "contact", "--format", "csv", "--encoding", "utf-16"]
    assert main([*args, "-o", str(out)]) == 0
    assert _names(out)[0] == ("José", "Müller")


def test_an_unknown_encoding_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "x.csv", "--encoding", "ebcdic"]) == 2
    assert "--encoding" in capsys.readouterr().err
    assert set(ENCODINGS) == {"utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"}


@given(
    st.text(st.sampled_from("ab\r\n\u00e9\u20ac\U0001f600\ufeff"), max_size=20),
    st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    st.integers(1, 9),
)
def test_lines_are_the_text_split_at_each_line_end(text: str, encoding: str, chunk: int) -> None:
    """CR, LF and CR LF end a line, wherever the chunks of bytes are cut; one mark is skipped."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # no such character in Windows-1252
        return
    if encoding == "cp1252":
        data = data.removeprefix(b"\xef\xbb\xbf")
    lines = _lines(data, encoding, chunk=chunk)
    expected = text.removeprefix("\ufeff") if encoding == "utf-8" else text
    assert lines == re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", expected)
