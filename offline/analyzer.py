"""A client for the Pulumi engine's Analyzer gRPC protocol, for testing policy packs offline.

It starts a pack exactly as the CLI does (``python -u -m pulumi.policy <engine> <pack dir>`` with
the pack as working directory and the ``PULUMI_*`` environment), reads the port the pack prints,
and makes the engine's calls in the engine's order: ConfigureStack, GetAnalyzerInfo, Configure,
then Analyze per resource (inputs) and AnalyzeStack at the end (outputs, parents, dependencies and
property dependencies).

Resources are described as plain :class:`Resource` values with camelCase properties; a value still
unknown in a preview is written as :data:`UNKNOWN`, as the engine does.

Example::

    with PolicyPackProcess("policy") as pack:
        pack.start_session(load_policy_pack_config("policy/config/prod.json"))
        for diagnostic in pack.analyze_stack(resources):
            print(diagnostic.policy_name, diagnostic.message)
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final, Literal, Protocol

import grpc
import jsonschema
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as pb
from pulumi.runtime.proto import analyzer_pb2_grpc, plugin_pb2

UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's sentinel for a string (or id) that is unknown during a preview."""

MAX_MESSAGE_BYTES: Final = 1024 * 1024 * 1024
"""gRPC message limit for this client. gRPC's default receive limit is 4 MiB, which a stack of a
few thousand resources exceeds; the pulumi_policy server accepts up to 400 MiB."""

ENFORCEMENT_LEVELS: Final = ("advisory", "mandatory", "remediate", "disabled")
_LEVEL_TO_PROTO: Final = {
    "advisory": pb.ADVISORY,
    "mandatory": pb.MANDATORY,
    "remediate": pb.REMEDIATE,
    "disabled": pb.DISABLED,
}
_PROTO_TO_LEVEL: Final = {v: k for k, v in _LEVEL_TO_PROTO.items()}
_SEVERITIES: Final = {
    pb.POLICY_SEVERITY_UNSPECIFIED: "",
    pb.POLICY_SEVERITY_LOW: "low",
    pb.POLICY_SEVERITY_MEDIUM: "medium",
    pb.POLICY_SEVERITY_HIGH: "high",
    pb.POLICY_SEVERITY_CRITICAL: "critical",
}


class PolicyPackError(RuntimeError):
    """The pack process could not be started or stopped answering."""


class PolicyConfigError(ValueError):
    """A policy-pack config is invalid, in the ways the CLI's ``--policy-pack-config`` rejects."""


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


@dataclass(frozen=True)
class Diagnostic:
    """One policy violation as the engine receives it."""

    policy_name: str
    message: str
    """The full message: the policy's description, a newline, then the violation's own text."""
    urn: str
    enforcement_level: str
    severity: str

    @property
    def detail(self) -> str:
        """The violation's own text, without the policy description the SDK puts first."""
        return self.message.split("\n", 1)[1] if "\n" in self.message else ""

    @classmethod
    def from_proto(cls, diagnostic: pb.AnalyzeDiagnostic) -> Diagnostic:
        """Convert the protobuf message."""
        return cls(
            policy_name=diagnostic.policyName,
            message=diagnostic.message,
            urn=diagnostic.urn,
            enforcement_level=_PROTO_TO_LEVEL[diagnostic.enforcementLevel],
            severity=_SEVERITIES.get(diagnostic.severity, ""),
        )


@dataclass(frozen=True)
class PolicySettings:
    """A policy's enforcement level and properties after the CLI's reconciliation."""

    enforcement_level: str
    properties: Mapping[str, Any]


def load_policy_pack_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a ``--policy-pack-config`` JSON file."""
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    if not isinstance(config, dict):
        raise PolicyConfigError(f"{path}: a policy-pack config must be a JSON object")
    return config


def _integral(value: Any) -> Any:
    # protobuf Structs carry every number as a double; give whole numbers back their int form so
    # that defaults and error messages read as written (365, not 365.0).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    return value


def policy_schema(policy: pb.PolicyInfo) -> dict[str, Any]:
    """Return the JSON Schema a policy's config must satisfy, as the pack reports it.

    ``additionalProperties`` is false so that a misspelt key fails instead of being ignored.
    """
    return {
        "type": "object",
        "properties": _integral(json_format.MessageToDict(policy.configSchema.properties)),
        "required": list(policy.configSchema.required),
        "additionalProperties": False,
    }


def _check_level(where: str, level: Any) -> str:
    if level not in ENFORCEMENT_LEVELS:
        raise PolicyConfigError(
            f"{where}: enforcement level {level!r} is not one of {', '.join(ENFORCEMENT_LEVELS)}"
        )
    return str(level)


def reconcile_config(
    info: pb.AnalyzerInfo, config: Mapping[str, Any] | None = None
) -> dict[str, PolicySettings]:
    """Return every policy's settings, as the CLI computes them before calling Configure.

    Start from each policy's own enforcement level and its schema's defaults, apply the pack's
    initial config, then the ``all`` key, then each policy's entry of ``config``; validate the
    result against the policy's schema.
    """
    config = dict(config or {})
    policies = {p.name: p for p in info.policies}
    unknown = sorted(set(config) - set(policies) - {"all"})
    if unknown:
        raise PolicyConfigError(
            f"policy-pack config names {', '.join(unknown)}, which pack '{info.name}' does not have"
        )
    all_level = _check_level("all", config["all"]) if "all" in config else None
    initial = {k: v for k, v in info.initialConfig.items()}

    settings: dict[str, PolicySettings] = {}
    for name, policy in policies.items():
        schema = policy_schema(policy)
        level = _PROTO_TO_LEVEL[policy.enforcementLevel]
        properties = {k: v["default"] for k, v in schema["properties"].items() if "default" in v}
        if name in initial:
            level = _PROTO_TO_LEVEL[initial[name].enforcementLevel]
            properties.update(_integral(json_format.MessageToDict(initial[name].properties)))
        if all_level is not None:
            level = all_level
        entry = config.get(name)
        if isinstance(entry, str):
            level = _check_level(name, entry)
        elif isinstance(entry, Mapping):
            overrides = dict(entry)
            if "enforcementLevel" in overrides:
                level = _check_level(name, overrides.pop("enforcementLevel"))
            properties.update(overrides)
        elif entry is not None:
            raise PolicyConfigError(f"{name}: expected an enforcement level or an object")
        try:
            jsonschema.validate(properties, schema, cls=jsonschema.Draft7Validator)
        except jsonschema.ValidationError as error:
            path = ".".join(str(p) for p in error.absolute_path)
            raise PolicyConfigError(
                f"{name}{'.' + path if path else ''}: {error.message}"
            ) from None
        settings[name] = PolicySettings(level, properties)
    return settings


def configure_request(settings: Mapping[str, PolicySettings]) -> pb.ConfigureAnalyzerRequest:
    """Return the Configure message for reconciled settings."""
    return pb.ConfigureAnalyzerRequest(
        policyConfig={
            name: pb.PolicyConfig(
                enforcementLevel=_LEVEL_TO_PROTO[s.enforcement_level],
                properties=to_struct(s.properties),
            )
            for name, s in settings.items()
        }
    )


def read_port(
    process: subprocess.Popen[bytes],
    stderr: IO[bytes],
    timeout: float,
    what: str = "the policy pack",
) -> int:
    """The port a plugin prints as its first line of stdout, as the CLI reads it.

    Raises ``PolicyPackError`` with the plugin's stderr if it exits or stays silent.
    """
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or process.poll() is not None:
            stderr.seek(0)
            raise PolicyPackError(
                f"{what} did not print its port"
                + (f" (exit code {process.returncode})" if process.returncode is not None else "")
                + ":\n"
                + stderr.read().decode(errors="replace")
            )
        ready, _, _ = select.select([process.stdout], [], [], min(remaining, 0.1))
        if ready:
            chunk = os.read(process.stdout.fileno(), 64)
            if not chunk and process.poll() is None:
                time.sleep(0.01)
            line += chunk
    return int(line.strip())


def stop_plugin(
    channel: grpc.Channel | None,
    process: subprocess.Popen[bytes] | None,
    stderr: IO[bytes] | None,
) -> None:
    """Disconnect from a plugin this client started, and end it: politely, then by force."""
    if channel is not None:
        channel.close()
    if process is not None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    if stderr is not None:
        stderr.close()


class PolicyPackProcess:
    """A policy pack running as a process, spoken to over the Analyzer protocol.

    Use it as a context manager; leaving the block stops the process.
    """

    def __init__(
        self,
        pack_dir: str | os.PathLike[str],
        *,
        project: str = "proj",
        stack: str = "dev",
        dry_run: bool = True,
        config: Mapping[str, str] | None = None,
        python: str = sys.executable,
        engine_address: str = "127.0.0.1:0",
        start_timeout: float = 60.0,
    ) -> None:
        """Describe the pack to start; :meth:`start` (or ``with``) starts it.

        ``config`` is the stack's configuration (``<project>:<key>`` to string), passed the way
        the CLI does, in ``PULUMI_CONFIG``. ``engine_address`` is passed on the command line but
        never dialled: pulumi_policy does not call back into the engine.
        """
        self.pack_dir = Path(pack_dir).resolve()
        self.project = project
        self.stack = stack
        self.dry_run = dry_run
        self.config = dict(config or {})
        self.python = python
        self.engine_address = engine_address
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._info: pb.AnalyzerInfo | None = None

    def __enter__(self) -> PolicyPackProcess:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the pack and connect to it."""
        env = dict(os.environ)
        env.update(
            PULUMI_PROJECT=self.project,
            PULUMI_STACK=self.stack,
            PULUMI_DRY_RUN="true" if self.dry_run else "false",
            PULUMI_CONFIG=json.dumps(self.config),
        )
        # Kept open for the process's lifetime and closed in close(), so no context manager.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            [self.python, "-u", "-m", "pulumi.policy", self.engine_address, str(self.pack_dir)],
            cwd=self.pack_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        try:
            port = read_port(self._process, self._stderr, self.start_timeout)
            self._channel = grpc.insecure_channel(
                f"127.0.0.1:{port}",
                options=[
                    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ],
            )
            grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
            self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Disconnect and stop the process (this client started it, so it ends it)."""
        stop_plugin(self._channel, self._process, self._stderr)
        self._channel, self._process, self._stderr = None, None, None

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        """The raw gRPC stub, for calls this class does not wrap."""
        if self._stub is None:
            raise PolicyPackError("the policy pack is not running")
        return self._stub

    def stderr(self) -> str:
        """Return what the pack has written to stderr so far (tracebacks, logs)."""
        if self._stderr is None:
            return ""
        self._stderr.flush()
        position = self._stderr.tell()
        self._stderr.seek(0)
        text = self._stderr.read().decode(errors="replace")
        self._stderr.seek(position)
        return text

    def configure_stack(
        self,
        *,
        organization: str = "organization",
        config: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        """Send ConfigureStack, the engine's first call."""
        self.stub.ConfigureStack(
            pb.AnalyzerStackConfigureRequest(
                stack=self.stack,
                project=self.project,
                organization=organization,
                dry_run=self.dry_run,
                config=dict(config if config is not None else self.config),
                tags=dict(tags or {}),
            )
        )

    def get_analyzer_info(self) -> pb.AnalyzerInfo:
        """Send GetAnalyzerInfo: the pack's name, policies, levels and config schemas."""
        self._info = self.stub.GetAnalyzerInfo(empty_pb2.Empty())
        return self._info

    def get_plugin_info(self) -> plugin_pb2.PluginInfo:
        """Send GetPluginInfo: the pulumi_policy version."""
        return self.stub.GetPluginInfo(empty_pb2.Empty())

    def configure(self, config: Mapping[str, Any] | None = None) -> dict[str, PolicySettings]:
        """Reconcile a ``--policy-pack-config`` object as the CLI does, and send Configure.

        The pack replaces its whole configuration on every Configure, so one process can be
        reconfigured between analyses.
        """
        info = self._info if self._info is not None else self.get_analyzer_info()
        settings = reconcile_config(info, config)
        self.stub.Configure(configure_request(settings))
        return settings

    def start_session(self, config: Mapping[str, Any] | None = None) -> dict[str, PolicySettings]:
        """Make the engine's opening calls: ConfigureStack, GetAnalyzerInfo, Configure."""
        self.configure_stack()
        self.get_analyzer_info()
        return self.configure(config)

    def analyze(self, resource: Resource) -> list[Diagnostic]:
        """Send Analyze for one resource's inputs; return the resource policies' diagnostics."""
        response = self.stub.Analyze(analyze_request(resource))
        return [Diagnostic.from_proto(d) for d in response.diagnostics]

    def analyze_stack(self, resources: Iterable[Resource]) -> list[Diagnostic]:
        """Send AnalyzeStack with every resource's outputs; return the stack policies' verdicts."""
        request = pb.AnalyzeStackRequest(resources=[analyzer_resource(r) for r in resources])
        return [Diagnostic.from_proto(d) for d in self.analyze_stack_raw(request).diagnostics]

    def analyze_stack_raw(self, request: pb.AnalyzeStackRequest) -> pb.AnalyzeResponse:
        """Send a prepared AnalyzeStack request and return the raw response."""
        response: pb.AnalyzeResponse = self.stub.AnalyzeStack(request)
        return response
