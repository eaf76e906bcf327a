"""Tools for testing code that uses crmcore: Hypothesis strategies and synthetic data.

- :mod:`crmcore.testing.strategies`: public `Hypothesis <https://hypothesis.works>`_ strategies
  for every value object and record type, the ones crmcore's own property tests use.
  Hypothesis is optional: install it with the ``testing`` extra
  (``pip install "crmcore[testing]"``). Importing that module without it raises an
  :class:`ImportError` that names the extra.
- :mod:`crmcore.testing.synthetic`: deterministic, messy input data with known duplicates;
  it needs nothing beyond crmcore.

Importing this package imports neither module, so it never needs Hypothesis.
"""

__all__: list[str] = []
