"""The import-linter contracts of pyproject.toml (run by `make lint`) cover every app; template tags do not query."""

import ast
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


def test_template_tags_do_not_query():
    """A template tag module imports no models, selectors or ORM and touches no manager: views pass the data."""
    offenders = []
    for module in sorted(Path(settings.BASE_DIR).glob("*/templatetags/*.py")):
        name = module.relative_to(settings.BASE_DIR)
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom):
                imported = [node.module or ""] + [alias.name for alias in node.names]
                if any(part.split(".")[-1] in {"models", "selectors"} for part in imported):
                    offenders.append(f"{name}:{node.lineno} from {node.module} import ...")
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{name}:{node.lineno} .objects")
    assert offenders == []
