"""A stand-in for the Pulumi engine, to run a program with no CLI and no credentials.

``RecordingMonitor`` keeps what the engine would know of each resource: type, name, parent,
inputs, outputs, dependencies and property dependencies. ``run_program`` runs a program
directory under it and the ``AwsMocks`` of ``offline.fake_aws``, whose names are re-exported
here for the many callers that import them from this module.
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.settings import SETTINGS
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from offline.fake_aws import (
    UNKNOWN,
    AwsMocks,
    FakeAws,
    FakeVpc,
    RecordedInvoke,
    UnexpectedCall,
)

__all__ = [
    "UNKNOWN",
    "AwsMocks",
    "FakeAws",
    "FakeVpc",
    "ProgramRun",
    "RecordedInvoke",
    "RecordedResource",
    "RecordingMonitor",
    "UnexpectedCall",
    "run_program",
    "run_pulumi",
]
STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass
class RecordedResource:
    """What the engine knows of one registered resource."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    id: str
    inputs: dict[str, Any]
    """Inputs as on the wire: camelCase keys, the ``UNKNOWN`` sentinel where not yet known."""
    outputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    protect: bool
    delete_before_replace: bool = False


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """A mock engine that records what the real engine would know of every resource."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.recorded: list[RecordedResource] = []
        self.registered_outputs: dict[str, dict[str, Any]] = {}

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type == STACK_TYPE:
            return response
        self.recorded.append(
            RecordedResource(
                type=request.type,
                name=request.name,
                urn=response.urn,
                parent=request.parent,
                custom=request.custom,
                id=response.id,
                inputs=json_format.MessageToDict(request.object),
                outputs=json_format.MessageToDict(response.object),
                dependencies=list(request.dependencies),
                property_dependencies={
                    key: list(deps.urns) for key, deps in request.propertyDependencies.items()
                },
                protect=bool(request.protect),
                delete_before_replace=bool(request.deleteBeforeReplace),
            )
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        self.registered_outputs[request.urn] = json_format.MessageToDict(request.outputs)
        return super().RegisterResourceOutputs(request)


@dataclass
class ProgramRun:
    """What one run of a program registered."""

    resources: list[RecordedResource]
    stack_outputs: dict[str, Any]
    """The stack's exports by name; ``UNKNOWN`` for one not known in a preview."""
    component_outputs: dict[str, dict[str, Any]]
    """What each component passed to ``register_outputs``, by URN, as on the wire."""
    invokes: list[RecordedInvoke]
    error: BaseException | None = None
    """What the program raised, when run with ``raise_errors=False``."""

    def of_type(self, type_: str) -> list[RecordedResource]:
        """The resources of one type, in registration order."""
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str) -> RecordedResource:
        """The only resource of ``type_``; fails if there are none or several."""
        found = self.of_type(type_)
        if len(found) != 1:
            raise AssertionError(f"expected one {type_}, found {len(found)}")
        return found[0]


def run_program(
    program_dir: Path,
    config: Mapping[str, str],
    aws: FakeAws,
    *,
    project: str,
    stack: str,
    preview: bool = False,
    raise_errors: bool = True,
) -> ProgramRun:
    """Run the Pulumi program in ``program_dir`` under the mocks, as ``pulumi up`` would.

    ``config`` maps full keys (``project:key``) to the strings the CLI passes.
    """
    with _program_on_path(program_dir):
        return run_pulumi(
            lambda: runpy.run_path(str(program_dir / "__main__.py")),
            config,
            aws,
            project=project,
            stack=stack,
            preview=preview,
            raise_errors=raise_errors,
        )


def run_pulumi(
    program: Callable[[], object],
    config: Mapping[str, str],
    aws: FakeAws,
    *,
    project: str,
    stack: str,
    preview: bool = False,
    raise_errors: bool = True,
) -> ProgramRun:
    """Run ``program``, a function that declares resources, under the mocks.

    What the program raises propagates after the runtime has shut down cleanly, or, with
    ``raise_errors=False``, is returned in ``ProgramRun.error`` beside what was registered.
    """
    mocks = AwsMocks(aws, preview=preview)
    monitor = RecordingMonitor(mocks)
    # A fresh root stack per run: set_mocks reuses the previous one, exports and all.
    runtime_settings.ROOT.set(None)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config({**config, "aws:region": aws.region}, [])
    SETTINGS.rpc_manager.clear()
    SETTINGS.outputs.clear()
    stack_outputs: dict[str, Any] = {}

    async def run() -> None:
        program()
        # Under mocks the root stack registered its outputs before the program ran, so exports
        # are read from the stack itself, serialized as the SDK sends a stack's outputs to the
        # engine: a value unknown in a preview, at any depth, reads as UNKNOWN.
        root = runtime_settings.get_root_resource()
        exported = await rpc.serialize_properties(getattr(root, "outputs", {}), {})
        stack_outputs.update(
            _as_sentinels(rpc.deserialize_properties(exported, keep_unknowns=True))
        )

    error: BaseException | None = None
    try:
        _sync_await(run_pulumi_func(run))
    except Exception as raised:
        if raise_errors:
            raise
        error = raised
    return ProgramRun(
        monitor.recorded, stack_outputs, monitor.registered_outputs, mocks.invokes, error
    )


def _as_sentinels(value: Any) -> Any:
    """``value`` with the SDK's unknowns as the engine's ``UNKNOWN`` sentinel, at any depth."""
    if isinstance(value, dict):
        return {key: _as_sentinels(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_sentinels(item) for item in value]
    return UNKNOWN if isinstance(value, pulumi.output.Unknown) else value


@contextmanager
def _program_on_path(program_dir: Path) -> Iterator[None]:
    """Make the program's own packages importable, as the language host does."""
    path = str(program_dir.resolve())
    sys.path.insert(0, path)
    cwd = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(cwd)
        sys.path.remove(path)
