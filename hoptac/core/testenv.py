"""Loaded by pytest before Django's settings (`-p hoptac.core.testenv` in pyproject.toml's addopts): the test
run is a developer's run, in debug mode with the built-in key, unless the environment says otherwise. Without
it, settings refuse to load with DEBUG off and no DJANGO_SECRET_KEY (hoptac/settings.py, production mode).
pytest-django still runs the tests themselves with DEBUG False, as Django's test runner does."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
