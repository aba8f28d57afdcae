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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Final

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2 as pb
from pulumi.runtime.proto import analyzer_pb2_grpc, plugin_pb2

from offline.analyzer_resources import (
    STACK_TYPE,
    UNKNOWN,
    RecordedLike,
    Resource,
    analyze_request,
    analyzer_resource,
    engine_urn,
    from_recorded,
    qualified_type,
    to_struct,
)
from offline.policy_config import (
    ENFORCEMENT_LEVELS,
    Diagnostic,
    PolicyConfigError,
    PolicySettings,
    configure_request,
    load_policy_pack_config,
    policy_schema,
    reconcile_config,
)

__all__ = [
    "ENFORCEMENT_LEVELS",
    "MAX_MESSAGE_BYTES",
    "STACK_TYPE",
    "UNKNOWN",
    "Diagnostic",
    "PolicyConfigError",
    "PolicyPackError",
    "PolicyPackProcess",
    "PolicySettings",
    "RecordedLike",
    "Resource",
    "analyze_request",
    "analyzer_resource",
    "configure_request",
    "engine_urn",
    "from_recorded",
    "load_policy_pack_config",
    "policy_schema",
    "qualified_type",
    "read_port",
    "reconcile_config",
    "stop_plugin",
    "to_struct",
]

MAX_MESSAGE_BYTES: Final = 1024 * 1024 * 1024
"""gRPC message limit for this client. gRPC's default receive limit is 4 MiB, which a stack of a
few thousand resources exceeds; the pulumi_policy server accepts up to 400 MiB."""


class PolicyPackError(RuntimeError):
    """The pack process could not be started or stopped answering."""


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
