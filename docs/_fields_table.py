"""Render the field tables of the data-model page from the records' own metadata.

The tables in ``docs/data-model.md`` sit between the ``<!-- fields:begin -->`` and
``<!-- fields:end -->`` markers and must equal :func:`render_tables` exactly; a test checks it.
After changing a field, regenerate them with::

    python docs/_fields_table.py --write

Without ``--write`` the tables are printed to standard output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import crmcore

BEGIN = "<!-- fields:begin -->"
END = "<!-- fields:end -->"
PAGE = Path(__file__).resolve().with_name("data-model.md")

_HEADER = (
    "| Path | Category | Personal | Privacy category | Description |",
    "| --- | --- | --- | --- | --- |",
)


def _cell(text: str) -> str:
    """Escape what would break a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_table(record_type: type[object]) -> str:
    """The Markdown table of every field of ``record_type``, in declaration order.

    >>> print(render_table(crmcore.Deal).splitlines()[2])
    | `id` | identity | no | none | The record's id in this system. |
    """
    rows = [
        f"| `{spec.path}` | {spec.category.value} | {'yes' if spec.personal else 'no'} "
        f"| {spec.privacy.value} | {_cell(spec.doc)} |"
        for spec in crmcore.fields(record_type)
    ]
    return "\n".join([*_HEADER, *rows])


def render_tables() -> str:
    """The Markdown of the field tables of the four record types, one section each.

    >>> render_tables().splitlines()[0]
    '### Contact'
    """
    sections = [
        f"### {record_type.__name__}\n\n{render_table(record_type)}"
        for record_type in crmcore.RECORD_TYPES
    ]
    return "\n\n".join(sections)


def between_markers(page: str) -> str:
    """The text of ``page`` between the two markers, without the newlines next to them."""
    start = page.index(BEGIN) + len(BEGIN)
    end = page.index(END, start)
    return page[start:end].removeprefix("\n").removesuffix("\n")


def splice(page: str, tables: str) -> str:
    """Return ``page`` with the text between the markers replaced by ``tables``."""
    start = page.index(BEGIN) + len(BEGIN)
    end = page.index(END, start)
    return f"{page[:start]}\n{tables}\n{page[end:]}"


def main(argv: list[str] | None = None) -> int:
    """Print the tables, or write them into the data-model page with ``--write``."""
    parser = argparse.ArgumentParser(description="Render the field tables of the data-model page.")
    parser.add_argument(
        "--write", action="store_true", help=f"rewrite the tables in {PAGE.name} in place"
    )
    args = parser.parse_args(argv)
    tables = render_tables()
    if not args.write:
        sys.stdout.write(tables + "\n")
        return 0
    page = PAGE.read_text(encoding="utf-8")
    updated = splice(page, tables)
    if updated != page:
        PAGE.write_text(updated, encoding="utf-8")
        sys.stdout.write(f"updated the field tables in {PAGE.name}\n")
    else:
        sys.stdout.write(f"the field tables in {PAGE.name} are up to date\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
