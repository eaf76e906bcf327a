"""``crmcore.privacy`` re-exports the public names of every public module of the package."""

from __future__ import annotations

import importlib
import pkgutil

import crmcore.privacy


def test_every_public_name_of_every_public_module_is_re_exported() -> None:
    modules = [
        info.name
        for info in pkgutil.iter_modules(crmcore.privacy.__path__)
        if not info.name.startswith("_")
    ]
    assert {"consent", "access", "pseudonym", "deadlines", "requests"} <= set(modules)
    for name in modules:
        module = importlib.import_module(f"crmcore.privacy.{name}")
        for public in getattr(module, "__all__", ()):
            assert public in crmcore.privacy.__all__, f"{name}.{public}"
            assert getattr(crmcore.privacy, public) is getattr(module, public)


def test_all_lists_only_names_the_package_has() -> None:
    assert len(set(crmcore.privacy.__all__)) == len(crmcore.privacy.__all__)
    for public in crmcore.privacy.__all__:
        assert hasattr(crmcore.privacy, public), public
