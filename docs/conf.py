"""Sphinx configuration of the janus-client documentation (``nox -s docs``).

The build is offline: no intersphinx inventories are fetched unless ``DOCS_INTERSPHINX=1``
is set in the environment. Warnings are errors in ``nox -s docs`` (``-W``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # examples/ and the packages, also without an install

project = "janus-client"
author = "janus-client developers"
copyright = "janus-client developers"
release = "0.1.0"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "myst_parser",
]
if os.environ.get("DOCS_INTERSPHINX") == "1":  # needs the network: opt-in only
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "anyio": ("https://anyio.readthedocs.io/en/stable", None),
        "attrs": ("https://www.attrs.org/en/stable", None),
    }

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Docstrings are Google style (STYLE.md section 7).
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_attr_annotations = True
napoleon_use_ivar = True  # "Attributes:" of attrs classes: fields, not duplicate entries

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
    "undoc-members": True,  # public names without a docstring are still listed
}
autoclass_content = "class"

html_theme = "furo"
html_title = "janus-client"
html_static_path: list[str] = []

# Cross-references that cannot resolve offline (third-party types in signatures), and
# private names that public signatures mention.
nitpicky = False
napoleon_custom_sections = [("Class attributes", "Attributes")]

# Type hints such as ``list[str]`` or ``type[X]`` are looked up as "list" and "type", which
# also match attributes of that name on many plugin classes: Sphinx then warns that it found
# more than one target (and links to none). Those lookups are not ours to disambiguate.
suppress_warnings = ["ref.python"]
