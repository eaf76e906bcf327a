"""Sphinx configuration for the crmcore documentation (MyST Markdown pages, autodoc reference).

Build with warnings as errors: ``sphinx-build -W --keep-going -b html docs docs/_build/html``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

import crmcore

project = "crmcore"
author = "The crmcore developers"
copyright = "the crmcore developers"
release = crmcore.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# MyST: ``:::`` fences, definition lists, and anchors for headings down to level 3 so pages can
# link to sections (``conversion.md#verify-mode``).
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# The docstrings are plain reST. Type hints go in the description, not the signature: the
# records use postponed annotations, and long unions would make signatures unreadable.
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_class_signature = "mixed"

# No intersphinx_mapping: the build must not reach the network. References to cattrs or the
# standard library stay plain text, which is why the build is not nitpicky.
nitpicky = False

html_theme = "alabaster"
html_title = f"crmcore {release}"

# Pages that the index's ``*`` glob finds but that belong at the end of the table of contents.
LAST_PAGES = ("reference",)


def _last_pages_last(app: Sphinx, doctree: nodes.document) -> None:
    """Move :data:`LAST_PAGES` to the end of the root page's globbed table of contents.

    A glob entry takes every page not listed before it, the reference included, and listing
    the reference again after the glob is a duplicate entry (a warning, so a failed build).
    """
    if app.env.docname != app.config.root_doc:
        return
    for toctree in doctree.findall(addnodes.toctree):
        toctree["entries"].sort(key=lambda entry: entry[1] in LAST_PAGES)
        toctree["includefiles"].sort(key=lambda docname: docname in LAST_PAGES)


def _factory_defaults(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show attrs factory defaults as ``<factory>`` rather than attrs' ``NOTHING`` sentinel."""
    if signature is None or "=NOTHING" not in signature:
        return None
    return signature.replace("=NOTHING", "=<factory>"), return_annotation


def setup(app: Sphinx) -> None:
    # Before the table-of-contents collector (priority 500) records the toctree.
    app.connect("doctree-read", _last_pages_last, priority=400)
    app.connect("autodoc-process-signature", _factory_defaults)
