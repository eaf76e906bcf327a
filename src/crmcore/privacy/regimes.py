"""The :class:`Regimes` registry, shaped like :class:`~crmcore.validation.RuleSet`.

Make one with :func:`default_regimes` (every built-in regime) or empty; :meth:`Regimes.add` a
regime of your own (its name takes your organisation's prefix, like ``acme.state_law``),
:meth:`Regimes.replace` a regime with an adjusted copy, :meth:`Regimes.remove` one, and load
plugins from the ``crmcore.privacy_regimes`` entry-point group with
:meth:`Regimes.load_entry_points`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from crmcore.errors import InvalidValueError
from crmcore.privacy.laws import BUILTIN_REGIMES
from crmcore.privacy.regime import Regime
from crmcore.validation._plugins import PluginError, load_plugins

__all__ = ["ENTRY_POINT_GROUP", "PluginError", "Regimes", "default_regimes"]

ENTRY_POINT_GROUP = "crmcore.privacy_regimes"
"""The entry-point group plugins list their ``register(regimes)`` functions in."""

_BUILTIN_NAMES = frozenset(regime.name for regime in BUILTIN_REGIMES)


class Regimes:
    """Privacy regimes by name, for looking them up and for plugins to add theirs.

    >>> from crmcore.privacy import GDPR, Period, Timing
    >>> regimes = default_regimes()
    >>> regimes["gdpr"] is GDPR
    True
    >>> stricter = GDPR.with_timing(Timing("access", "respond", Period(28, "days"), "house rule"))
    >>> regimes.replace(stricter) is GDPR
    True
    >>> regimes["gdpr"].timing("access").period
    Period(amount=28, unit='days')
    >>> import attrs
    >>> regimes.add(attrs.evolve(GDPR, name="state"))
    Traceback (most recent call last):
    ...
    crmcore.errors.InvalidValueError: name: a regime of your own takes an organisation prefix...
    """

    def __init__(self, regimes: Iterable[Regime] = ()) -> None:
        self._regimes: dict[str, Regime] = {}
        self._loaded: set[str] = set()
        for regime in regimes:
            self.add(regime)

    def add(self, regime: Regime) -> Regime:
        """Register ``regime`` under its name and return it.

        A name is registered once (:meth:`replace` changes it). Names without a dot belong to
        the built-in regimes; every other name takes an organisation prefix.
        """
        if not isinstance(regime, Regime):
            raise InvalidValueError("expected a Regime", field="regime")
        if "." not in regime.name and regime.name not in _BUILTIN_NAMES:
            raise InvalidValueError(
                "a regime of your own takes an organisation prefix, like acme."
                + regime.name.rpartition(".")[2],
                field="name",
            )
        if regime.name in self._regimes:
            raise InvalidValueError(
                f"a regime named {regime.name} is already registered: replace it", field="name"
            )
        self._regimes[regime.name] = regime
        return regime

    def replace(self, regime: Regime) -> Regime:
        """Put ``regime`` in place of the registered regime of its name; return the old one."""
        if not isinstance(regime, Regime):
            raise InvalidValueError("expected a Regime", field="regime")
        previous = self.get(regime.name)
        self._regimes[regime.name] = regime
        return previous

    def remove(self, name: str) -> Regime:
        """Unregister the regime called ``name`` and return it."""
        found = self.get(name)
        del self._regimes[found.name]
        return found

    def get(self, name: str) -> Regime:
        """The regime called ``name``; :class:`~crmcore.errors.InvalidValueError` if unknown."""
        if not isinstance(name, str):
            raise InvalidValueError("expected a regime name", field="name")
        found = self._regimes.get(name)
        if found is None:
            raise InvalidValueError("unknown regime", field="name")
        return found

    def __getitem__(self, name: str) -> Regime:
        return self.get(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._regimes

    def __iter__(self) -> Iterator[Regime]:
        """The regimes in the order they were added."""
        return iter(tuple(self._regimes.values()))

    def __len__(self) -> int:
        return len(self._regimes)

    @property
    def names(self) -> tuple[str, ...]:
        """The registered names, in the order they were added."""
        return tuple(self._regimes)

    def load_entry_points(
        self, group: str = ENTRY_POINT_GROUP, *, names: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """Load the plugins of ``group`` and return the names of those loaded now.

        Each entry point names a callable ``register(regimes)`` that adds its regimes (or
        replaces some). Entry points load in name order, each once per registry; ``names``
        limits loading to those entry-point names (one name may be given as text). A plugin
        that fails to load or to register raises :class:`~crmcore.validation.PluginError`
        naming it and the cause; a plugin that registers a bad regime raises the
        :class:`~crmcore.errors.CRMError` it caused.
        """
        return load_plugins(self, group, names, self._loaded, noun="regime")

    def copy(self) -> Regimes:
        """An independent copy: changing one does not change the other."""
        other = Regimes(self._regimes.values())
        other._loaded = set(self._loaded)
        return other

    def __repr__(self) -> str:
        return f"Regimes({list(self._regimes)!r})"


def default_regimes() -> Regimes:
    """A fresh :class:`Regimes` with every built-in regime; change it freely.

    >>> default_regimes().names
    ('gdpr', 'uk_gdpr', 'ccpa_cpra', 'hipaa', 'lgpd', 'pipeda', 'quebec_private_sector')
    """
    return Regimes(BUILTIN_REGIMES)
