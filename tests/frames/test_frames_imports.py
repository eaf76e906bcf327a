"""Importing crmcore, or crmcore.frames, loads no data-frame library: they load when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas", "polars", "pyarrow", "dask", "numpy")

PROBE = """
import sys
import crmcore, crmcore.convert, crmcore.frames, crmcore.cleaning, crmcore.validation
from crmcore.frames import clean_and_validate, read_frame, to_frame
print(",".join(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def _loaded_after(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def test_import_crmcore_and_frames_loads_no_frame_library() -> None:
    assert _loaded_after(PROBE.format(heavy=HEAVY)).splitlines() == [""]


@pytest.mark.parametrize(("kind", "module"), [("pandas", "pandas"), ("arrow", "pyarrow")])
def test_writing_a_frame_loads_its_library(kind: str, module: str) -> None:
    code = PROBE.format(heavy=HEAVY) + f"to_frame([], {kind!r}); print({module!r} in sys.modules)"
    assert _loaded_after(code).splitlines() == ["", "True"]
