"""A stack's config, from ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml``, as the CLI resolves it.

The CLI merges the stack file's values over the project's declared defaults, refuses a stack
that lacks a declared key with no default, type-checks stack values against the declared
``type``, and hands the program every value as a string (JSON for arrays and objects). This
module does the same, so tests and the offline check see exactly what ``pulumi up`` would.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class StackConfigError(Exception):
    """A stack file the CLI would refuse."""


@dataclass(frozen=True)
class StackConfig:
    """A stack's resolved configuration."""

    project: str
    stack: str
    values: dict[str, str]
    """Full keys (``namespace:key``) to the string the program receives."""

    def get(self, key: str) -> str | None:
        """The value of a full key, or None."""
        return self.values.get(key)


def _is_of_type(declaration: Mapping[str, Any], value: Any) -> bool:
    """Whether ``value`` passes the CLI's check of a value against a declared type.

    As lenient as the CLI: an integer may be a whole float or a numeric string, a boolean may be
    the string "true" or "false", and an array's items are checked against ``items``.
    """
    match declaration.get("type"):
        case "string":
            return isinstance(value, str)
        case "integer":
            if isinstance(value, bool):
                return False
            if isinstance(value, str):
                return value.lstrip("+-").isdigit()
            return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        case "boolean":
            return isinstance(value, bool) or value in ("true", "false")
        case "object":
            return isinstance(value, dict)
        case "array":
            items = declaration.get("items")
            return (
                isinstance(value, list)
                and items is not None
                and all(_is_of_type(items, item) for item in value)
            )
    return True


def load_stack_config(project_dir: Path, stack: str) -> StackConfig:
    """Resolve `stack`'s config from its stack file, or raise ``StackConfigError``."""
    stack_file = project_dir / f"Pulumi.{stack}.yaml"
    if not stack_file.exists():
        raise StackConfigError(f"no stack file {stack_file.name} in {project_dir}")
    document = _load_yaml(stack_file) or {}
    given = (document.get("config") if isinstance(document, dict) else document) or {}
    if not isinstance(given, dict):
        raise StackConfigError(f"{stack_file.name}: config: must map keys to values")
    return resolve_config(project_dir, stack, given)


def _load_yaml(path: Path) -> Any:
    """A YAML file's document, or ``StackConfigError`` on one line naming the file and where
    YAML stopped: the CLI refuses such a file too, and a traceback helps nobody."""
    try:
        return yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "not valid YAML"
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise StackConfigError(f"{path.name} is not valid YAML: {where}{problem}") from None


def resolve_config(project_dir: Path, stack: str, given: Mapping[str, Any]) -> StackConfig:
    """Resolve stack values ``given`` as a stack file's ``config:`` over the project's defaults.

    Keys without a namespace belong to the project, as in a stack file.
    """
    project = _load_yaml(project_dir / "Pulumi.yaml")
    name: str = project["name"]
    given = {_full_key(name, key): value for key, value in given.items()}

    values: dict[str, str] = {}
    for key, declaration in (project.get("config") or {}).items():
        full_key = _full_key(name, key)
        if not isinstance(declaration, dict):
            declaration = {"default": declaration}  # the short form `key: value`
        if "value" in declaration:  # another namespace's key, such as aws:region
            values[full_key] = _as_config_string(declaration["value"])
        if "default" in declaration and not _is_of_type(declaration, declaration["default"]):
            raise StackConfigError(
                f"The default value specified for configuration key '{key}' is not of the "
                f"expected type '{declaration.get('type')}'"
            )
        if full_key in given:
            value = given[full_key]
            if not _is_of_type(declaration, value):
                raise StackConfigError(
                    f"Stack '{stack}': config value {full_key} ({value!r}) is not of "
                    f"declared type {declaration.get('type')}"
                )
        elif "default" in declaration:
            value = declaration["default"]
        elif "value" in declaration:
            continue
        else:
            raise StackConfigError(f"Stack '{stack}' is missing configuration value '{full_key}'")
        values[full_key] = _as_config_string(value)

    for full_key, value in given.items():
        if isinstance(value, dict) and "secure" in value:
            raise StackConfigError(f"{full_key} is a secret; secrets need the CLI to decrypt them")
        values.setdefault(full_key, _as_config_string(value))
    return StackConfig(project=name, stack=stack, values=values)


def _full_key(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _as_config_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)
