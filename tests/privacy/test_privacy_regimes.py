"""The Regimes registry and its plugins (entry-point group ``crmcore.privacy_regimes``)."""

from __future__ import annotations

import importlib.metadata
import sys
import types

import attrs
import pytest

from _plugin_fakes import FakeEntryPoint as _FakeEntryPoint
from _plugin_fakes import install as _install
from crmcore.errors import InvalidValueError
from crmcore.privacy import (
    ENTRY_POINT_GROUP,
    GDPR,
    HIPAA,
    Period,
    PluginError,
    Regime,
    Regimes,
    Timing,
    default_regimes,
)
from crmcore.privacy.laws import BUILTIN_REGIMES
from crmcore.validation import PluginError as ValidationPluginError

STATE = Regime(
    "acme.state_law",
    "A state law",
    (Timing("access", "respond", Period(20, "days"), "State Code § 1"),),
)


def test_default_regimes_hold_every_builtin_and_are_fresh() -> None:
    first = default_regimes()
    assert tuple(first) == BUILTIN_REGIMES
    first.remove("hipaa")
    assert "hipaa" not in first
    assert "hipaa" in default_regimes()
    assert len(default_regimes()) == 7


def test_add_get_replace_remove() -> None:
    regimes = Regimes()
    assert regimes.add(STATE) is STATE
    assert regimes["acme.state_law"] is STATE
    assert regimes.names == ("acme.state_law",)
    stricter = STATE.with_timing(Timing("access", "respond", Period(10, "days"), "house rule"))
    assert regimes.replace(stricter) is STATE
    assert regimes.get("acme.state_law") is stricter
    assert regimes.remove("acme.state_law") is stricter
    assert len(regimes) == 0


def test_a_name_is_registered_once() -> None:
    regimes = Regimes([STATE])
    with pytest.raises(InvalidValueError, match="already registered") as caught:
        regimes.add(STATE)
    assert caught.value.field == "name"


def test_third_party_names_take_an_organisation_prefix() -> None:
    with pytest.raises(InvalidValueError, match="organisation prefix") as caught:
        Regimes().add(attrs.evolve(STATE, name="state_law"))
    assert caught.value.field == "name"
    # a built-in name may be re-added after removal, and replaced by an adjusted copy
    regimes = Regimes()
    regimes.add(attrs.evolve(GDPR, rest_days=(6,)))
    assert regimes["gdpr"].rest_days == (6,)


@pytest.mark.parametrize("call", ["get", "remove", "replace"])
def test_an_unknown_regime_is_a_crm_error_naming_the_argument(call: str) -> None:
    regimes = default_regimes()
    argument: object = STATE if call == "replace" else "acme.nowhere"
    with pytest.raises(InvalidValueError, match="unknown regime") as caught:
        getattr(regimes, call)(argument)
    assert caught.value.field == "name"
    assert "acme.nowhere" not in str(caught.value)


def test_only_regimes_are_registered() -> None:
    with pytest.raises(InvalidValueError) as caught:
        Regimes().add("gdpr")  # type: ignore[arg-type]
    assert caught.value.field == "regime"


def test_copy_is_independent() -> None:
    regimes = default_regimes()
    other = regimes.copy()
    other.remove("gdpr")
    assert "gdpr" in regimes


# -- plugins ----------------------------------------------------------------------------------


def _register(regimes: Regimes) -> None:
    regimes.add(STATE)
    regimes.replace(attrs.evolve(HIPAA, end_on_non_working="next_working_day"))


def test_load_entry_points_registers_each_plugin_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _install(monkeypatch, _FakeEntryPoint("acme", _register))
    regimes = default_regimes()
    assert regimes.load_entry_points() == ("acme",)
    assert asked == ["crmcore.privacy_regimes"]
    assert regimes["acme.state_law"] is STATE
    assert regimes["hipaa"].end_on_non_working == "next_working_day"
    assert regimes.load_entry_points() == ()


def test_load_entry_points_in_name_order_and_only_those_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    _install(
        monkeypatch,
        _FakeEntryPoint("zeta", lambda regimes: order.append("zeta")),
        _FakeEntryPoint("alpha", lambda regimes: order.append("alpha")),
        _FakeEntryPoint("mid", lambda regimes: order.append("mid")),
    )
    assert Regimes().load_entry_points(names={"zeta", "alpha"}) == ("alpha", "zeta")
    assert order == ["alpha", "zeta"]


def test_a_plugin_that_fails_raises_plugin_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, _FakeEntryPoint("broken", None, fails=True))
    with pytest.raises(PluginError, match="regime plugin broken"):
        Regimes().load_entry_points()
    assert PluginError is ValidationPluginError


def test_a_plugin_adding_a_bad_regime_raises_its_crm_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(
        monkeypatch,
        _FakeEntryPoint("bad", lambda regimes: regimes.add(attrs.evolve(STATE, name="x"))),
    )
    regimes = Regimes()
    with pytest.raises(InvalidValueError, match="organisation prefix"):
        regimes.load_entry_points()
    assert len(regimes) == 0


def test_a_real_module_can_be_a_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("acme_regimes_module")
    module.register = _register  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "acme_regimes_module", module)
    entry_point = importlib.metadata.EntryPoint(
        "acme", "acme_regimes_module:register", ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda *, group: [entry_point] if group else []
    )
    regimes = default_regimes()
    assert regimes.load_entry_points() == ("acme",)
    assert "acme.state_law" in regimes


def test_one_plugin_name_is_read_as_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    _install(
        monkeypatch,
        _FakeEntryPoint("acme", lambda regimes: order.append("acme")),
        _FakeEntryPoint("a", lambda regimes: order.append("a")),
    )
    assert Regimes().load_entry_points(names="acme") == ("acme",)
    assert order == ["acme"]


@pytest.mark.parametrize(("group", "names"), [("", None), (3, None), ("g", [1]), ("g", 5)])
def test_bad_plugin_arguments_are_refused_naming_them(group: object, names: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Regimes().load_entry_points(group, names=names)  # type: ignore[arg-type]
    assert caught.value.field in ("group", "names")
