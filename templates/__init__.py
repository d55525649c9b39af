"""Marker: makes this folder the package ``versus._templates`` (pyproject maps it), so the built-in
templates are found with importlib.resources in editable and regular installs alike. Not a template."""
