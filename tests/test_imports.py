"""The picture of crmcore's imports reads one way: no circles, layers, and nothing imports the CLI.

Read from the source with :mod:`ast`, so a circle is found even where Python would resolve it
at run time by luck of the import order.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

import crmcore

SRC = Path(crmcore.__file__).parent

#: Lower layers never import higher ones, not even for a type. Modules of one layer may import
#: each other (without a circle).
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "crmcore._version",
        "crmcore._safe",
        "crmcore._flat",
        "crmcore._iso",
        "crmcore._regions",
        "crmcore.errors",
        "crmcore._parallel",
        "crmcore._collector",
        "crmcore._extras",
    ),
    ("crmcore.records",),
    ("crmcore.convert", "crmcore.mapping"),
    ("crmcore.validation",),
    ("crmcore.cleaning",),
    ("crmcore.frames",),
    ("crmcore.dedup",),
    ("crmcore.privacy",),
    ("crmcore.testing",),
    ("crmcore.cli",),
    ("crmcore", "crmcore.__main__"),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(path): path for path in sorted(SRC.rglob("*.py")) if "data" not in path.parts
}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(name: str) -> str | None:
    """The crmcore module that ``name`` (a module or a name in a module) refers to."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _targets(node: ast.stmt, module: str) -> list[str]:
    found: list[str] = []
    if isinstance(node, ast.Import):
        found = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        found = [f"{base}.{alias.name}" for alias in node.names]
    resolved = (_resolve(name) for name in found if name.startswith("crmcore"))
    return sorted({target for target in resolved if target and target != module})


def _imports(module: str, *, type_only: bool, nested: bool) -> list[str]:
    """What ``module`` imports at its top level (and under ``TYPE_CHECKING`` if ``type_only``)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            found.update(_targets(node, module))
            if isinstance(node, ast.If):
                if _is_type_checking(node.test) and not type_only:
                    visit(node.orelse)
                    continue
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
            elif nested and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(node.body)

    visit(tree.body)
    return sorted(found)


def _graph(*, type_only: bool, nested: bool = False) -> dict[str, list[str]]:
    return {
        module: _imports(module, type_only=type_only, nested=nested) for module in sorted(MODULES)
    }


def _circle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in graph.get(node, []):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def _layer(module: str) -> int:
    for rank, prefixes in enumerate(LAYERS[:-1]):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return rank
    if module in LAYERS[-1]:
        return len(LAYERS) - 1
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def test_every_module_is_found_and_importable() -> None:
    assert "crmcore.convert._lenient" in MODULES
    for module in MODULES:
        assert importlib.util.find_spec(module) is not None, module


def test_no_import_circle_at_run_time() -> None:
    assert _circle(_graph(type_only=False)) is None


def test_no_import_circle_even_for_types() -> None:
    assert _circle(_graph(type_only=True)) is None


def test_lower_layers_never_import_higher_ones() -> None:
    wrong = [
        f"{module} -> {target}"
        for module, targets in _graph(type_only=True, nested=True).items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert wrong == []


def test_nothing_outside_the_cli_imports_it() -> None:
    wrong = [
        f"{module} -> {target}"
        for module, targets in _graph(type_only=True, nested=True).items()
        if not module.startswith("crmcore.cli") and module not in ("crmcore.__main__",)
        for target in targets
        if target.startswith("crmcore.cli")
    ]
    assert wrong == []


def test_the_circle_finder_finds_a_circle() -> None:
    assert _circle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert _circle({"a": ["b"], "b": []}) is None


@pytest.mark.parametrize("module", ["crmcore.mapping", "crmcore.convert"])
def test_public_names_stay_where_they_were(module: str) -> None:
    imported = importlib.import_module(module)
    assert imported.ColumnMapping is crmcore.ColumnMapping
    assert imported.unflatten is crmcore.unflatten
