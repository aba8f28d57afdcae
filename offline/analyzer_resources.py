"""Resources as the engine sends them to a policy pack: engine-form URNs, camelCase properties
with the ``UNKNOWN`` sentinel, and the Analyze and AnalyzeStack messages built from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Protocol

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as pb

UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's sentinel for a string (or id) that is unknown during a preview."""


def engine_urn(
    type_: str, name: str, *, stack: str = "dev", project: str = "proj", parent_type: str = ""
) -> str:
    """Return the URN the engine gives a resource.

    ``parent_type`` is the parent's qualified type (``awsx:ec2:Vpc``, or ``a$b`` for a grandchild).
    Resources parented to the stack have none: unlike a mock, the engine does not prefix them with
    ``pulumi:pulumi:Stack$``.
    """
    qualified = f"{parent_type}${type_}" if parent_type else type_
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def qualified_type(urn: str) -> str:
    """Return the qualified type of an engine URN (the part a child's URN builds on)."""
    return urn.split("::")[2]


@dataclass(frozen=True)
class Resource:
    """A resource as the engine describes it to a policy pack.

    ``properties`` are camelCase, as on the wire: inputs for Analyze, outputs for AnalyzeStack.
    """

    type: str
    name: str
    urn: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    parent: str = ""
    dependencies: Sequence[str] = ()
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)


def to_struct(properties: Mapping[str, Any]) -> struct_pb2.Struct:
    """Return ``properties`` as a protobuf Struct (numbers become doubles, as from the engine)."""
    struct = struct_pb2.Struct()
    struct.update(dict(properties))
    return struct


def analyzer_resource(resource: Resource) -> pb.AnalyzerResource:
    """Return the AnalyzerResource message the engine sends in AnalyzeStack."""
    return pb.AnalyzerResource(
        type=resource.type,
        urn=resource.urn,
        name=resource.name,
        properties=to_struct(resource.properties),
        options=pb.AnalyzerResourceOptions(parent=resource.parent),
        parent=resource.parent,
        dependencies=list(resource.dependencies),
        propertyDependencies={
            key: pb.AnalyzerPropertyDependencies(urns=list(urns))
            for key, urns in resource.property_dependencies.items()
        },
    )


def analyze_request(resource: Resource) -> pb.AnalyzeRequest:
    """Return the AnalyzeRequest message the engine sends for one resource's inputs."""
    return pb.AnalyzeRequest(
        type=resource.type,
        urn=resource.urn,
        name=resource.name,
        properties=to_struct(resource.properties),
        options=pb.AnalyzerResourceOptions(parent=resource.parent),
    )


STACK_TYPE: Final = "pulumi:pulumi:Stack"


class RecordedLike(Protocol):
    """What :func:`from_recorded` reads of a resource recorded under mocks.

    ``offline.mocks.RecordedResource`` has this shape; the client does not import it, so that it
    stays usable with any recorder.
    """

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]


def from_recorded(
    records: Iterable[RecordedLike],
    *,
    project: str,
    stack: str,
    properties: Literal["outputs", "inputs"] = "outputs",
) -> list[Resource]:
    """Turn resources recorded under mocks into what the engine sends a policy pack.

    Mock URNs qualify every top-level type with ``pulumi:pulumi:Stack$``; the engine's do not, so
    every URN (and every parent and dependency naming one) is rebuilt from the type and parent
    chain, never parsed. The stack resource, which the recorder leaves out, comes first, as in
    the engine's list. ``properties="outputs"`` is AnalyzeStack's view (with the ``id``, unknown
    in a preview); ``"inputs"`` is Analyze's.
    """
    stack_name = f"{project}-{stack}"
    stack_urn = engine_urn(STACK_TYPE, stack_name, stack=stack, project=project)
    records = list(records)
    engine_urns: dict[str, str] = {}
    parents: dict[str, str] = {}
    for record in records:
        # Parents register before their children, so a parent's URN is already known here;
        # anything else (the stack itself) makes the resource top-level.
        parent = engine_urns.get(record.parent, stack_urn)
        parent_type = qualified_type(parent) if parent != stack_urn else ""
        engine_urns[record.urn] = engine_urn(
            record.type, record.name, stack=stack, project=project, parent_type=parent_type
        )
        parents[record.urn] = parent

    def mapped(urns: Iterable[str]) -> list[str]:
        return [engine_urns[u] for u in urns if u in engine_urns]

    converted = [Resource(STACK_TYPE, stack_name, stack_urn)]
    for record in records:
        props = dict(record.outputs if properties == "outputs" else record.inputs)
        if properties == "outputs" and record.custom:
            # A mock's id of "" is how a preview leaves a new resource's id unknown.
            props["id"] = record.id or UNKNOWN
        converted.append(
            Resource(
                type=record.type,
                name=record.name,
                urn=engine_urns[record.urn],
                properties=props,
                parent=parents[record.urn],
                dependencies=mapped(record.dependencies),
                property_dependencies={
                    key: mapped(urns) for key, urns in record.property_dependencies.items()
                },
            )
        )
    return converted
