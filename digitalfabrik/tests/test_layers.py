"""The import-linter contracts of pyproject.toml (run by `make lint`) cover every app of the portal."""

import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

CONFIG = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["tool"]["importlinter"]


def _portal_apps() -> set[str]:
    base = Path(settings.BASE_DIR).resolve()
    return {config.name for config in apps.get_app_configs() if Path(config.path).resolve().parent == base}


def _contract(contract_id: str) -> dict:
    [contract] = [contract for contract in CONFIG["contracts"] if contract["id"] == contract_id]
    return contract


def test_every_app_of_the_portal_is_analysed():
    assert _portal_apps() - set(CONFIG["root_packages"]) == set()


def test_every_app_has_its_layer():
    layered = {name.strip("() ") for layer in _contract("layers")["layers"] for name in re.split(r"[|:]", layer)}
    assert _portal_apps() - {"digitalfabrik"} - layered == set()


def test_no_app_may_be_imported_by_the_shared_helpers():
    assert _portal_apps() - {"digitalfabrik"} - set(_contract("shared-helpers")["forbidden_modules"]) == set()
