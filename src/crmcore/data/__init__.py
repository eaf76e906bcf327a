"""Data files shipped with crmcore: the demo data set in ``demo/``."""
