"""CSV rows: a stray quote never swallows the rows after it; a cell too long is reported."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore.cli import main
from crmcore.cli._csv import CELL_LIMIT, ends_in_quote
from crmcore.cli._io import CsvRows, Row

UNBALANCED = 'id,identity.name.family\nc-1,"Ada\nc-2,Bob\nc-3,Cy\n'


def _rows(text: str) -> list[Row]:
    return list(CsvRows(io.StringIO(text, newline="")))


def _read(rows: list[Row]) -> list[tuple[int, dict[str, str] | None, bool]]:
    return [
        (row.line, dict(row.data) if row.data is not None else None, row.problem is not None)
        for row in rows
    ]


def test_an_unclosed_quote_reports_its_line_and_the_next_rows_are_read() -> None:
    rows = _rows(UNBALANCED)
    assert _read(rows) == [
        (2, None, True),
        (3, {"id": "c-2", "identity.name.family": "Bob"}, False),
        (4, {"id": "c-3", "identity.name.family": "Cy"}, False),
    ]
    assert "unbalanced quote" in (rows[0].problem or "")


def test_a_quoted_cell_over_two_lines_is_read_as_one_cell() -> None:
    text = 'id,identity.addresses[0].lines[]\nc-1,"10 rue de Rivoli\nParis"\nc-2,x\n'
    assert _read(_rows(text)) == [
        (2, {"id": "c-1", "identity.addresses[0].lines[]": "10 rue de Rivoli\nParis"}, False),
        (4, {"id": "c-2", "identity.addresses[0].lines[]": "x"}, False),
    ]


def test_a_multi_line_cell_with_quotes_inside_and_several_of_them_in_a_row() -> None:
    text = 'id,a,b\nc-1,"say ""hi""\nthere","one\ntwo\nthree"\nc-2,x,y\n'
    assert _read(_rows(text)) == [
        (2, {"id": "c-1", "a": 'say "hi"\nthere', "b": "one\ntwo\nthree"}, False),
        (6, {"id": "c-2", "a": "x", "b": "y"}, False),
    ]


def test_a_quote_closed_inside_a_later_row_is_no_multi_line_cell() -> None:
    """``c-2,"Bob`` closes the quote of line 2 with text after it: no CSV writer does that."""
    text = 'id,name\nc-1,"Ada\nc-2,"Bob\nc-3,Cy\n'
    assert _read(_rows(text)) == [
        (2, None, True),
        (3, None, True),
        (4, {"id": "c-3", "name": "Cy"}, False),
    ]


def test_a_multi_line_row_of_the_wrong_width_is_refused() -> None:
    text = 'id,name\nc-1,"Ada\nc-2",Bob,extra\nc-3,Cy\n'
    assert _read(_rows(text)) == [
        (2, None, True),
        (3, None, True),  # read again on its own: too many fields
        (4, {"id": "c-3", "name": "Cy"}, False),
    ]


def test_a_quote_in_an_unquoted_cell_is_a_character() -> None:
    text = "id,height\nc-1,5'11\"\nc-2,6'1\"\n"
    assert _read(_rows(text)) == [
        (2, {"id": "c-1", "height": "5'11\""}, False),
        (3, {"id": "c-2", "height": "6'1\""}, False),
    ]


def test_a_cell_longer_than_the_csv_limit_is_reported_as_too_long() -> None:
    text = f"id,name\nc-1,{'x' * (CELL_LIMIT + 1)}\nc-2,Bob\n"
    rows = _rows(text)
    assert _read(rows) == [(2, None, True), (3, {"id": "c-2", "name": "Bob"}, False)]
    assert "longer than 131,072 characters" in (rows[0].problem or "")


def test_a_quoted_cell_never_closed_is_given_up_within_bounded_text() -> None:
    text = 'id,name\nc-1,"Ada\n' + "".join(f"c-{i},x\n" for i in range(2, 30_002))
    rows = _rows(text)
    assert rows[0].problem is not None
    assert len(rows) == 30_001
    assert all(row.data is not None for row in rows[1:])


def test_a_file_full_of_stray_quotes_is_read_in_linear_time() -> None:
    """A generous bound: each line is scanned a bounded number of times."""
    text = "id,name\n" + 'c-1,"x\nplain line without quotes,y\n' * 20_000
    start = time.perf_counter()
    rows = _rows(text)
    assert time.perf_counter() - start < 10
    assert len(rows) == 40_000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='a,"; \r', max_size=12))
def test_the_scanner_agrees_with_the_csv_module(line: str) -> None:
    """Whether a line ends inside a quoted cell, as the csv module reads it."""
    line = line.replace("\r", "") + "\n"
    read = list(csv.reader([line, "END\n"]))
    open_quote = line[0] == '"' if line else False
    body = line[1:] if open_quote else line
    assert ends_in_quote(body, ",", open_quote)[0] == (len(read) == 1)


CELLS = st.text(alphabet=st.sampled_from('ab ,"\n;é'), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=6))
def test_any_file_a_csv_writer_writes_is_read_back(table: list[list[str]]) -> None:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["id", "a", "b"])
    writer.writerows([[f"c-{index}", *cells[1:]] for index, cells in enumerate(table)])
    rows = _rows(stream.getvalue())
    expected = [
        {"id": f"c-{index}", "a": cells[1], "b": cells[2]} for index, cells in enumerate(table)
    ]
    assert [row.data for row in rows] == expected


@pytest.mark.parametrize("command", ["convert", "validate", "clean"])
def test_commands_report_the_unbalanced_line_and_convert_the_others(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text(UNBALANCED, encoding="utf-8")
    code = main([command, str(source), "--as-of", "2025-06-01", "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "line 2" in err or '"line":2' in out
    assert "Bob" not in err
    if command == "validate":
        reports = [json.loads(line) for line in out.splitlines()]
        assert [report["line"] for report in reports] == [2, 3, 4]
        assert reports[0]["issues"][0]["code"] == "row.unreadable"
        assert "3 contact rows, 2 without errors, 1 with errors" in err
    else:
        records = [json.loads(line) for line in out.splitlines()]
        assert [record["identity"]["name"]["family"] for record in records] == ["Bob", "Cy"]
        assert "2 of 3 contact rows" in err
        assert "1 failed" in err


def test_a_too_long_cell_counts_as_a_failed_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text(f"id,identity.name.family\nc-1,{'x' * 200_000}\nc-2,Bob\n", encoding="utf-8")
    assert main(["convert", str(source), "--no-progress", "--as-of", "2025-06-01"]) == 1
    out, err = capsys.readouterr()
    assert "line 2: " in err
    assert "longer than 131,072 characters" in err
    assert "1 of 2 contact rows converted, 1 failed" in err
    assert len(out.splitlines()) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab,"\n\r;', max_size=60))
def test_any_text_reads_as_rows_in_line_order_without_raising(body: str) -> None:
    rows = _rows("id,name\n" + body)
    lines = [row.line for row in rows]
    assert lines == sorted(set(lines))
    assert all(row.line >= 2 for row in rows)
    for row in rows:
        assert (row.data is None) != (row.problem is None)
        assert row.data is None or list(row.data) == ["id", "name"]
