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


# The one relation across the independent coaching | innoscheck layer: a voucher application may name
# the coaching case it grew out of (a foreign key, kept for referential integrity, SET_NULL). It points one
# way only: coaching never refers to innoscheck (the case page asks programme.links). Nothing else may join it.
CROSSING_RELATIONS = {"innoscheck.Application.coaching_case"}


def _layer_of() -> dict[str, tuple[int, bool]]:
    """Each app's layer (0 = top) and whether its siblings in that layer are independent ("|")."""
    return {
        name.strip("() "): (index, "|" in layer)
        for index, layer in enumerate(_contract("layers")["layers"])
        for name in re.split(r"[|:]", layer)
    }


def test_foreign_keys_follow_the_layers():
    """What import-linter cannot see: a model naming another app's model by string ("coaching.Case")."""
    layer_of = _layer_of()
    offenders = []
    for model in apps.get_models():
        source = model._meta.app_label
        if source not in layer_of:
            continue
        for relation in model._meta.get_fields(include_hidden=True):
            if not (relation.is_relation and relation.concrete and relation.related_model):
                continue
            target = relation.related_model._meta.app_label
            if target == source or target not in layer_of:
                continue
            (source_layer, independent), (target_layer, _) = layer_of[source], layer_of[target]
            name = f"{model._meta.label}.{relation.name}"
            if (target_layer < source_layer or (target_layer == source_layer and independent)) and (
                name not in CROSSING_RELATIONS
            ):
                offenders.append(f"{name} -> {relation.related_model._meta.label}")
    assert offenders == []


def test_the_crossing_relation_points_one_way():
    assert {
        f"{model._meta.label}.{relation.name}"
        for model in apps.get_models()
        if model._meta.app_label == "coaching"
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.is_relation and relation.concrete and relation.related_model._meta.app_label == "innoscheck"
    } == set()
    assert not [
        path
        for path in (Path(settings.BASE_DIR) / "coaching" / "migrations").glob("*.py")
        if re.search(r"""["']innoscheck["']""", path.read_text())
    ]
