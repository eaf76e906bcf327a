"""The documentation keeps up with the code: field tables and the API reference."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import crmcore

DOCS = Path(__file__).resolve().parents[1] / "docs"
BEGIN = "<!-- fields:begin -->"
END = "<!-- fields:end -->"


def _fields_table() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_fields_table", DOCS / "_fields_table.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _between_markers(page: str) -> str:
    assert page.count(BEGIN) == 1, f"expected one {BEGIN} marker in data-model.md"
    assert page.count(END) == 1, f"expected one {END} marker in data-model.md"
    inside = page.split(BEGIN, 1)[1].split(END, 1)[0]
    assert inside.startswith("\n"), f"{BEGIN} must end its line"
    assert inside.endswith("\n"), f"{END} must start its own line"
    return inside[1:-1]


def test_data_model_page_lists_every_field_as_the_metadata_says() -> None:
    page = (DOCS / "data-model.md").read_text(encoding="utf-8")
    rendered = _fields_table().render_tables()
    assert _between_markers(page) == rendered, (
        "The field tables in docs/data-model.md differ from the records' metadata. "
        "Regenerate them with: python docs/_fields_table.py --write"
    )


def test_the_tables_name_every_field_of_every_record_type() -> None:
    rendered = _fields_table().render_tables()
    for record_type in crmcore.RECORD_TYPES:
        assert f"### {record_type.__name__}\n" in rendered
        for spec in crmcore.fields(record_type):
            assert f"| `{spec.path}` | {spec.category.value} |" in rendered


def test_the_helper_agrees_with_this_test_on_the_markers() -> None:
    module = _fields_table()
    page = f"intro\n{BEGIN}\nold tables\n{END}\noutro\n"
    spliced = module.splice(page, "new tables")
    assert spliced == f"intro\n{BEGIN}\nnew tables\n{END}\noutro\n"
    assert module.between_markers(spliced) == _between_markers(spliced) == "new tables"


def test_reference_page_documents_every_public_name() -> None:
    page = (DOCS / "reference.md").read_text(encoding="utf-8")
    documented = set(
        re.findall(r"^\.\. (?:auto\w+|py:\w+):: (?:crmcore\.)?(\w+)\s*$", page, re.MULTILINE)
    )
    missing = sorted(set(crmcore.__all__) - documented - {"__version__"})
    assert not missing, (
        f"docs/reference.md does not document {', '.join(missing)}: add an autoclass, "
        "autofunction or py:data directive for each in the section it belongs to"
    )
