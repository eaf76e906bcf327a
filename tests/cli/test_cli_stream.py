"""The shared streaming machinery: the progress bar (drawn, throttled, erased) and its renderer."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from crmcore.cli import _stream, main
from crmcore.cli._io import Row
from crmcore.cli._stream import PROGRESS_MIN_BYTES, Progress, progress_for, render_progress


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _rows(count: int) -> list[Row]:
    return [Row(number, data={"id": str(number)}) for number in range(1, count + 1)]


# -- the renderer ------------------------------------------------------------------------------


def test_render_progress_shows_percent_bytes_rows_rate_and_time_left() -> None:
    frame = render_progress(25_000_000, 100_000_000, 120_000, 10.0)
    assert frame == (" 25% [####............] 25.0/100.0 MB  120,000 rows  12,000/s  0:00:30 left")
    assert len(frame) < 80


@pytest.mark.parametrize(
    ("done", "total", "percent", "bar"),
    [
        (0, 1000, "  0%", "." * 16),
        (999, 1000, " 99%", "#" * 15 + "."),
        (1000, 1000, "100%", "#" * 16),
        (5000, 1000, "100%", "#" * 16),
        (-5, 1000, "  0%", "." * 16),
        (10, 0, "  0%", "." * 16),
    ],
)
def test_render_progress_never_overstates_and_clamps(
    done: int, total: int, percent: str, bar: str
) -> None:
    frame = render_progress(done, total, 10, 1.0)
    assert frame.startswith(f"{percent} [{bar}]")


def test_render_progress_leaves_out_what_it_cannot_know() -> None:
    assert render_progress(0, 2_000_000, 0, 0.0) == "  0% [................] 0.0/2.0 MB  0 rows"
    assert "left" not in render_progress(2_000_000, 2_000_000, 5, 3.0)
    assert "1:02:05 left" in render_progress(1, 2, 1, 3725.0)


def test_render_progress_fits_the_terminal() -> None:
    frame = render_progress(1, 3, 123_456_789, 0.5, columns=40)
    assert len(frame) == 39
    assert len(render_progress(1, 3, 1, 0.5, width=4, columns=200)) < 200
    assert render_progress(1, 3, 1, 0.5, width=4).startswith(" 33% [#...]")


# -- the tracker -------------------------------------------------------------------------------


def test_progress_redraws_at_most_ten_times_a_second() -> None:
    err = io.StringIO()
    clock = _Clock()
    position = iter(range(0, 10**9, 1000))
    progress = Progress(err, 1_000_000, lambda: next(position), clock=clock)
    for _ in progress.track(_rows(1000)):
        clock.now += 0.001  # 1,000 rows a second: one second in all
    frames = err.getvalue().split("\r")[1:]
    assert progress.rows == 1000
    assert 9 <= len(frames) <= 10
    assert all("%" in frame and "rows" in frame and "/s" in frame for frame in frames)


def test_progress_shows_the_share_of_bytes_read() -> None:
    err = io.StringIO()
    clock = _Clock()
    done = [0]
    progress = Progress(err, 1000, lambda: done[0], clock=clock)
    for row in progress.track(_rows(4)):
        done[0] = row.line * 250
        clock.now += 0.2
    frames = [frame for frame in err.getvalue().split("\r") if frame.strip()]
    assert [frame[:4] for frame in frames] == [" 25%", " 50%", " 75%"]


def test_progress_is_erased_on_exit_and_around_messages() -> None:
    err = io.StringIO()
    clock = _Clock()
    with Progress(err, 100, lambda: 50, clock=clock) as progress:
        for row in progress.track(_rows(3)):
            clock.now += 0.5
            if row.line == 2:
                progress.print("line 2: id: required field is missing")
    text = err.getvalue()
    # the frame is overwritten with blanks, then the message starts at the left margin
    assert re.search(r"% \[[^\r]*\r +\rline 2: id: required field is missing\n", text)
    # the bar comes back after the message, and is erased at the end
    after = text.split("missing\n", 1)[1]
    assert re.fullmatch(r"\r[^\r]*%[^\r]*\r +\r", after)


def test_progress_without_a_position_only_counts() -> None:
    err = io.StringIO()
    progress = Progress(err)
    assert not progress.drawing
    assert sum(1 for _ in progress.track(_rows(5))) == 5
    progress.print("a message")
    progress.clear()
    assert progress.rows == 5
    assert err.getvalue() == "a message\n"


# -- when to draw ------------------------------------------------------------------------------


def _big(path: Path) -> Path:
    row = {"id": "c", "qualitative": {"notes": ["x" * 400]}}
    count = PROGRESS_MIN_BYTES // len(json.dumps(row)) + 100
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            stream.write(json.dumps({**row, "id": f"c-{number}"}) + "\n")
    return path


def test_progress_for_draws_only_for_a_large_file_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _big(tmp_path / "contacts.jsonl")
    small = tmp_path / "small.jsonl"
    small.write_text('{"id": "c-1"}\n', encoding="utf-8")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with big.open(encoding="utf-8") as stream:
        assert progress_for(str(big), stream, enabled=True, err=terminal).drawing
        assert not progress_for(str(big), stream, enabled=False, err=terminal).drawing
        assert not progress_for(str(big), stream, enabled=True, err=io.StringIO()).drawing
        assert not progress_for("-", stream, enabled=True, err=terminal).drawing
    with small.open(encoding="utf-8") as stream:
        assert not progress_for(str(small), stream, enabled=True, err=terminal).drawing
    assert not progress_for(str(big), io.StringIO(), enabled=True, err=terminal).drawing


def test_no_bar_when_the_output_goes_to_the_same_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _big(tmp_path / "contacts.jsonl")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    with big.open(encoding="utf-8") as stream:
        assert not progress_for(str(big), stream, enabled=True, err=terminal, output="-").drawing
        assert progress_for(str(big), stream, enabled=True, err=terminal, output="o.jsonl").drawing


def test_commands_draw_the_bar_on_a_terminal_and_erase_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _big(tmp_path / "contacts.jsonl")
    monkeypatch.setattr(_stream, "_INTERVAL", 0.0)
    for command in ("convert", "validate", "clean"):
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        out = tmp_path / f"{command}.jsonl"
        assert main([command, str(big), "--as-of", "2026-11-01", "-o", str(out)]) == 0
        text = terminal.getvalue()
        frames = [frame for frame in text.split("\r") if "%" in frame]
        assert frames, command
        assert frames[-1].lstrip().startswith("100%") or frames[-1].lstrip()[:3].isdigit()
        summary = text.rsplit("\r", 1)[-1]
        assert summary.startswith(f"crmcore {command}: "), command
        assert len(out.read_text(encoding="utf-8").splitlines()) > 1000
        quiet = _Terminal()
        monkeypatch.setattr(sys, "stderr", quiet)
        args = [command, str(big), "--as-of", "2026-11-01", "-o", str(out), "--no-progress"]
        assert main(args) == 0
        assert "\r" not in quiet.getvalue()


def test_an_interrupted_command_stops_quietly_with_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.jsonl"
    source.write_text('{"id": "c-1"}\n', encoding="utf-8")

    def interrupted(self: Progress, rows: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "track", interrupted)
    assert main(["validate", str(source)]) == 130
    assert capsys.readouterr().err == "crmcore validate: interrupted\n"
