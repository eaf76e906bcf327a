"""``crmcore convert``: CSV and JSON Lines in, JSON Lines out, every bad row reported safely."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crmcore.cli import main
from crmcore.cli._io import CsvRows, JsonLinesRows, Row

PLANTED = (
    "planted.secret@@example.org",
    "PLANTED-PHONE-0000",
    "Zyxwvplanted",
    "31/02/1911",
    "planted-stage-VIP",
)

MAPPING = {
    "Ref": "id",
    "First name": "identity.name.given",
    "Last name": "identity.name.family",
    "E-mail": "identity.emails[0]",
    "Phone": "identity.phones[0]",
    "Country": "identity.addresses[0].country",
    "Born": "identity.birth_date",
    "Tags": "qualitative.motivations[]",
    "Internal": None,
}

CSV = """\
Ref,First name,Last name,E-mail,Phone,Country,Born,Tags,Internal
c-1,Ada,LOVELACE,Ada@Example.org,020 7946 0958,UK,10/12/1815,price; speed,x
c-2,Bad,Zyxwvplanted,planted.secret@@example.org,PLANTED-PHONE-0000,FR,31/02/1911,,y
c-3,Jean,de la Tour,,01 99 00 12 34,France,,"speed;compliance",
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _mapping(tmp_path: Path, mapping: object = MAPPING) -> str:
    return str(_write(tmp_path / "mapping.json", json.dumps(mapping)))


def _records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_csv_with_a_mapping_converts_every_good_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "export.csv", CSV)
    code = main(
        ["convert", str(source), "--type", "contact", "--mapping", _mapping(tmp_path), "--dayfirst"]
    )
    out, err = capsys.readouterr()
    assert code == 1
    records = _records(out)
    assert [r["id"] for r in records] == ["c-1", "c-3"]
    ada = records[0]["identity"]
    assert isinstance(ada, dict)
    assert ada["phones"][0]["e164"] == "+442079460958"
    assert ada["birth_date"] == "1815-12-10"
    assert ada["addresses"][0]["country"] == "GB"
    assert records[1]["qualitative"]["motivations"] == ["speed", "compliance"]  # type: ignore[index]
    assert "line 3, column 'E-mail': identity.emails[0].address:" in err
    assert "line 3, column 'Phone': identity.phones[0].number:" in err
    assert "line 3, column 'Born': identity.birth_date:" in err
    assert err.strip().splitlines()[-1] == (
        "crmcore convert: 2 of 3 contact rows converted, 1 failed"
    )


def test_failing_rows_never_put_personal_values_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.csv", CSV)
    jsonl = tmp_path / "contacts.jsonl"
    jsonl.write_text(
        json.dumps(
            {
                "id": "c-9",
                "identity": {
                    "name": {"family": PLANTED[2]},
                    "emails": [PLANTED[0]],
                    "phones": [PLANTED[1]],
                    "birth_date": PLANTED[3],
                },
                "descriptive": {"lifecycle_stage": PLANTED[4]},
                "unknown": "a planted value in an unknown field " + PLANTED[0],
            }
        )
        + "\n"
        + "{not json "
        + PLANTED[0]
        + "\n",
        encoding="utf-8",
    )
    assert main(["convert", str(source), "--mapping", _mapping(tmp_path)]) == 1
    assert main(["convert", str(jsonl)]) == 1
    _, err = capsys.readouterr()
    assert "identity.emails[0].address" in err
    for token in PLANTED:
        assert token not in err
    assert PLANTED[0].partition("@")[0] not in err


def test_jsonl_converts_to_stdout_and_exits_0_when_every_row_converts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {
            "id": "d-1",
            "identity": {"account_ref": "a-1"},
            "quantitative": {"amount": "1200.50 EUR"},
        },
        {"id": "d-2", "quantitative": {"amount": {"amount": 99.9, "currency": "gbp"}}},
    ]
    source = _write(tmp_path / "deals.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    assert main(["convert", str(source)]) == 0
    out, err = capsys.readouterr()
    records = _records(out)
    assert [r["quantitative"]["amount"] for r in records] == [  # type: ignore[index]
        {"amount": "1200.50", "currency": "EUR"},
        {"amount": "99.9", "currency": "GBP"},
    ]
    assert "2 of 2 deal rows converted, 0 failed" in err


def test_a_broken_row_does_not_stop_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"id": "a1"}),
        "not json at all",
        "",
        "[1, 2]",
        json.dumps({"id": "a2", "quantitative": {"employees": "-5"}}),
        json.dumps({"id": "a3", "quantitative": {"employees": "12"}}),
    ]
    source = _write(tmp_path / "accounts.jsonl", "\n".join(lines) + "\n")
    output = tmp_path / "out.jsonl"
    assert main(["convert", str(source), "-o", str(output)]) == 1
    _, err = capsys.readouterr()
    assert [r["id"] for r in _records(output.read_text(encoding="utf-8"))] == ["a1", "a3"]
    assert "line 2: <root>: not valid JSON" in err
    assert "line 4: <root>: expected a JSON object" in err
    assert "line 5: quantitative.employees: a count cannot be negative" in err
    assert "2 of 5 account rows converted, 3 failed" in err


def test_csv_headers_that_are_paths_need_no_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '\ufeffid;identity.emails[0];qualitative.motivations[]\nc1;a@example.org;"x;y"\n'
    source = _write(tmp_path / "leads.csv", text)
    assert main(["convert", str(source), "--type", "contact"]) == 0
    record = _records(capsys.readouterr().out)[0]
    assert record["id"] == "c1"
    assert record["qualitative"]["motivations"] == ["x", "y"]  # type: ignore[index]


def test_csv_rows_too_long_are_reported_and_short_rows_padded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "id,identity.organisation\nc1\nc2,Acme,extra\n\nc3,Acme\n"
    source = _write(tmp_path / "contacts.csv", text)
    assert main(["convert", str(source)]) == 1
    out, err = capsys.readouterr()
    assert [r["id"] for r in _records(out)] == ["c1", "c3"]
    assert "line 3: <root>: 3 fields for 2 columns" in err


def test_options_reach_the_converter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = {
        "id": "c1",
        "created_at": "2024-03-01 10:00",
        "identity": {"phones": ["01 99 00 12 34"], "birth_date": "03/04/85"},
        "quantitative": {"total_spent": 12.5},
        "extra": "ignored",
    }
    source = _write(tmp_path / "contacts.jsonl", json.dumps(row) + "\n")
    assert main(["convert", str(source), "--as-of", "2026-11-01"]) == 1
    _, err = capsys.readouterr()
    for path in ("created_at", "identity.phones[0].number", "quantitative.total_spent", "extra"):
        assert f"line 1: {path}:" in err
    args = [
        "convert",
        str(source),
        "--default-region",
        "fr",
        "--dayfirst",
        "--assume-tz",
        "Europe/Paris",
        "--default-currency",
        "eur",
        "--as-of",
        "2026-11-01T00:00:00+00:00",
        "--ignore-extra",
    ]
    assert main(args) == 0
    record = _records(capsys.readouterr().out)[0]
    assert record["created_at"] == "2024-03-01T10:00:00+01:00"
    identity = record["identity"]
    assert isinstance(identity, dict)
    assert identity["birth_date"] == "1985-04-03"
    assert identity["phones"][0]["e164"] == "+33199001234"
    assert record["quantitative"]["total_spent"] == {"amount": "12.5", "currency": "EUR"}  # type: ignore[index]


@pytest.mark.parametrize("tz", ["UTC", "+01:00", "-0530", "Z", "America/New_York"])
def test_assume_tz_accepts_utc_offsets_and_zone_names(
    tz: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "activities.jsonl", '{"id": "x", "created_at": "2025-01-02 03:04"}\n'
    )
    assert main(["convert", str(source), "--assume-tz", tz]) == 0
    capsys.readouterr()


def test_unmapped_columns_are_a_usage_error_unless_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.csv", "Ref,Mail,Secret notes\nc1,a@example.org,x\n")
    mapping = _mapping(tmp_path, {"Ref": "id", "Mail": "identity.emails[0]"})
    assert main(["convert", str(source), "--mapping", mapping]) == 2
    assert "Secret notes" in capsys.readouterr().err
    assert main(["convert", str(source), "--mapping", mapping, "--ignore-extra"]) == 0
    out, err = capsys.readouterr()
    assert "ignoring unmapped columns" in err
    assert _records(out)[0]["id"] == "c1"


def test_a_mapping_on_jsonl_reports_unmapped_keys_per_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "contacts.jsonl",
        '{"Ref": "c1", "Mail": "a@example.org"}\n{"Ref": "c2", "Other": "x"}\n',
    )
    mapping = _mapping(tmp_path, {"Ref": "id", "Mail": "identity.emails[0]"})
    assert main(["convert", str(source), "--mapping", mapping]) == 1
    out, err = capsys.readouterr()
    assert [r["id"] for r in _records(out)] == ["c1"]
    assert "line 2: Other: column not in the mapping" in err


@pytest.mark.parametrize(
    ("mapping_text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["id"]', "expected a JSON object"),
        ('{"Ref": 3}', "column 'Ref': expected a path"),
        ('{"Ref": "id", "Mail": "identity.email[0]"}', "identity has no field email"),
        ('{"Ref": "id", "Mail": "id"}', "both write id"),
        ('{"Ref": "id..x"}', "malformed path"),
        ('{"Ref": "id", "Ref": "identity.organisation"}', "named twice"),
        ('{"Ref": "id", "Missing": "identity.emails[0]"}', "does not have"),
    ],
)
def test_a_bad_mapping_is_a_usage_error(
    mapping_text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.csv", "Ref\nc1\n")
    mapping = _write(tmp_path / "mapping.json", mapping_text)
    assert main(["convert", str(source), "--mapping", str(mapping)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("contacts.csv", ["--mapping", "no-such-mapping.json"], "cannot open"),
        ("export.csv", [], "give --type"),
        ("contacts.txt", [], "give --format"),
        ("contacts.jsonl", ["--assume-tz", "Mars/Olympus"], "--assume-tz"),
        ("contacts.jsonl", ["--assume-tz", "+25:00"], "--assume-tz"),
        ("contacts.jsonl", ["--as-of", "yesterday"], "--as-of"),
        ("contacts.jsonl", ["--default-region", "XX"], "--default-region"),
        ("contacts.jsonl", ["--default-currency", "EURO"], "--default-currency"),
        ("contacts.jsonl", ["--type", "lead"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(
    name: str, args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / name, "id\nc1\n")
    assert main(["convert", str(source), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_input_or_an_empty_csv_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(tmp_path / "contacts.csv")]) == 2
    assert "cannot open the input file" in capsys.readouterr().err
    empty = _write(tmp_path / "contacts.csv", "")
    assert main(["convert", str(empty)]) == 2
    assert "no header" in capsys.readouterr().err
    doubled = _write(tmp_path / "deals.csv", "id,id\n1,2\n")
    assert main(["convert", str(doubled)]) == 2
    assert "same name" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_bytes(b"id,identity.organisation\nc1,Caf\xe9\n")
    assert main(["convert", str(source)]) == 2
    assert "line 2, byte offset 31: not valid utf-8" in capsys.readouterr().err


def test_the_command_line_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["--help"]) == 0
    assert "convert" in capsys.readouterr().out
    assert main(["convert", "--help"]) == 0
    assert "--default-region" in capsys.readouterr().out


class _CountingStream(io.StringIO):
    """A text stream that counts how many lines were read from it."""

    reads = 0

    def readline(self, size: int = -1, /) -> str:  # type: ignore[override]
        self.reads += 1
        return super().readline(size)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_readers_stream_row_by_row(fmt: str) -> None:
    if fmt == "csv":
        stream = _CountingStream("id\n" + "".join(f"c{i}\n" for i in range(1000)))
        rows = iter(CsvRows(stream))
    else:
        stream = _CountingStream("".join(f'{{"id": "c{i}"}}\n' for i in range(1000)))
        rows = iter(JsonLinesRows(stream))
    first = next(rows)
    assert first.data == {"id": "c0"}
    assert stream.reads <= 3
    assert sum(1 for _ in rows) == 999


def test_json_lines_rows_read_later_are_the_rows_read_at_once() -> None:
    # With --jobs, a row crosses to its worker as its text and is parsed there: the same rows.
    text = '{"id": "c1"}\n\n{not json\n[1, 2]\n  \n{"id": "c2", "n": [1]}\r\n'
    at_once = list(JsonLinesRows(io.StringIO(text)))
    later = list(JsonLinesRows(io.StringIO(text)).unparsed())
    assert [row.data for row in later] == [None] * 4
    assert all(row.text is not None for row in later)
    assert [row.parsed() for row in later] == at_once
    assert [(row.line, row.data, row.problem) for row in at_once] == [
        (1, {"id": "c1"}, None),
        (3, None, "not valid JSON"),
        (4, None, "expected a JSON object"),
        (6, {"id": "c2", "n": [1]}, None),
    ]
    assert at_once[0].parsed() is at_once[0]


@pytest.mark.parametrize(
    ("region", "meant"),
    [("UK", "GB"), ("uk", "GB"), ("EL", "GR"), ("Germany", "DE"), ("FRA", "FR")],
)
def test_a_refused_default_region_suggests_the_iso_code(
    region: str, meant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.jsonl", '{"id": "c1"}\n')
    assert main(["convert", str(source), "--default-region", region]) == 2
    err = capsys.readouterr().err
    assert err == (
        "crmcore convert: error: --default-region: not an ISO 3166-1 alpha-2 code "
        f"(did you mean {meant}?)\n"
    )


def test_a_default_region_that_means_nothing_gets_no_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "contacts.jsonl", '{"id": "c1"}\n')
    assert main(["convert", str(source), "--default-region", "QQ"]) == 2
    assert "did you mean" not in capsys.readouterr().err


def test_a_rows_repr_shows_no_value_of_the_source() -> None:
    text = '{"identity": {"emails": [{"address": "jane.doe@example.com"}]}}'
    for row in (Row(7, text=text), Row(7, text=text).parsed()):
        assert "jane" not in repr(row)
        assert "7" in repr(row)
    assert "not valid JSON" in repr(Row(3, text="{jane").parsed())
