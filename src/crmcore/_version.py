"""The version of crmcore."""

__version__ = "0.1.0.dev0"
