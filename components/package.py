"""The ``vpc-flow-logs`` component package: every component of this directory, for any language.

``pulumi package add <repo>/components@v<version>`` runs this directory as a plugin; Pulumi's
analyzer infers the schema from each component's type annotations and docstrings, and the
generated SDK constructs the components here, over the provider protocol.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pulumi

PACKAGE_NAME = "vpc-flow-logs"
"""The package's name: the first part of every type token (``vpc-flow-logs:index:...``)."""
PACKAGE_VERSION = "0.2.0"
"""The package's version, the same as ``pyproject.toml``'s; releases are tagged ``v<version>``."""

_PACKAGE_DIR = Path(__file__).resolve().parent


def hosted_components() -> list[type[pulumi.ComponentResource]]:
    """Every ``ComponentResource`` defined in a module of this directory or its capability
    packages, sorted by name.

    Found by walking the modules, so a component added in a module of its own joins the package
    with no list to update.
    """
    found: dict[str, type[pulumi.ComponentResource]] = {}
    for module_info in pkgutil.walk_packages([str(_PACKAGE_DIR)], prefix=f"{__package__}."):
        if any(part.startswith("_") for part in module_info.name.split(".")):
            continue
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, pulumi.ComponentResource) and value.__module__ == module.__name__:
                found[value.__name__] = value
    return [found[name] for name in sorted(found)]


def package_schema() -> dict[str, object]:
    """The package schema, inferred as the hosting provider infers it for ``GetSchema``."""
    from pulumi.provider.experimental.analyzer import Analyzer
    from pulumi.provider.experimental.schema import generate_schema

    result = Analyzer(PACKAGE_NAME).analyze(hosted_components())
    schema = generate_schema(
        PACKAGE_NAME,
        PACKAGE_VERSION,
        None,
        result["component_definitions"],
        result["type_definitions"],
        # Ordered as the hosting provider orders them.
        sorted(result["dependencies"], key=lambda d: f"{d.name}{d.version}"),
    )
    return dict(schema.to_json())


def host() -> None:
    """Serve the package over the provider protocol, as the language host starts a plugin:
    ``python <this directory> <engine address>``; the port is printed on stdout."""
    from pulumi.provider.experimental import component_provider_host

    component_provider_host(
        components=hosted_components(), name=PACKAGE_NAME, version=PACKAGE_VERSION
    )
