"""Marker: makes this folder the package ``versus._static`` (pyproject maps it), so the static files
are found with importlib.resources in editable and regular installs alike. Never copied to a site."""
