"""Driving the component package as the Pulumi engine does, with no CLI.

``ComponentPluginProcess`` starts the package the way the Python language host starts a plugin
directory that has a ``__main__.py`` (``python <dir> <engine address>``), reads the port it
prints, and speaks the provider protocol: ``GetSchema``, ``Configure`` and ``Construct``.

``FakeEngine`` is the other end of ``Construct``: a ``ResourceMonitor`` and ``Engine`` gRPC server
on loopback. It answers the component's AWS invokes from a ``FakeAws`` through the same
``AwsMocks`` the program tests use, and records every registration as ``RecordingMonitor`` does,
with engine-form URNs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent import futures
from pathlib import Path
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2_grpc,
)

from offline.analyzer import qualified_type, read_port, stop_plugin
from offline.mocks import STACK_TYPE, AwsMocks, FakeAws, RecordedResource, RecordingMonitor


class _EngineFormMonitor(RecordingMonitor):
    """A recording monitor whose URNs are the engine's: no ``pulumi:pulumi:Stack$`` prefix."""

    def __init__(self, mocks: AwsMocks, project: str, stack: str) -> None:
        super().__init__(mocks)
        self.project = project
        self.stack = stack

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent and qualified_type(parent) != STACK_TYPE:
            type_ = f"{qualified_type(parent)}${type_}"
        return f"urn:pulumi:{self.stack}::{self.project}::{type_}::{name}"


class _MonitorServicer(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self, monitor: _EngineFormMonitor) -> None:
        self.monitor = monitor

    def GetDeploymentInfo(self, request: Any, context: Any) -> Any:
        return self.monitor.GetDeploymentInfo(request)

    def Invoke(self, request: Any, context: Any) -> Any:
        return self.monitor.Invoke(request)

    def RegisterResource(self, request: Any, context: Any) -> Any:
        return self.monitor.RegisterResource(request)

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:
        return self.monitor.RegisterResourceOutputs(request)


class _EngineServicer(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self.logs: list[tuple[int, str]] = []

    def Log(self, request: Any, context: Any) -> Any:
        self.logs.append((request.severity, request.message))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.SetRootResourceResponse()


class FakeEngine:
    """The engine's side of ``Construct``, on a loopback port; use it as a context manager."""

    def __init__(
        self, aws: FakeAws, *, project: str = "proj", stack: str = "dev", preview: bool = False
    ) -> None:
        self.project = project
        self.stack = stack
        self.preview = preview
        self.mocks = AwsMocks(aws, preview=preview)
        self._monitor = _EngineFormMonitor(self.mocks, project, stack)
        self._engine = _EngineServicer()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(
            _MonitorServicer(self._monitor), self._server
        )
        engine_pb2_grpc.add_EngineServicer_to_server(self._engine, self._server)
        self.address = f"127.0.0.1:{self._server.add_insecure_port('127.0.0.1:0')}"

    def __enter__(self) -> FakeEngine:
        self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.stop(grace=None)

    @property
    def stack_urn(self) -> str:
        """The root stack's URN, the parent of what the program constructs."""
        return f"urn:pulumi:{self.stack}::{self.project}::{STACK_TYPE}::{self.project}-{self.stack}"

    @property
    def recorded(self) -> list[RecordedResource]:
        """Every resource registered through this engine, in order."""
        return self._monitor.recorded

    @property
    def registered_outputs(self) -> dict[str, dict[str, Any]]:
        """What each component registered as its outputs, by URN."""
        return self._monitor.registered_outputs

    @property
    def logs(self) -> list[tuple[int, str]]:
        """``(severity, message)`` of every engine log call, such as ``pulumi.log.warn``."""
        return self._engine.logs


class ComponentPluginProcess:
    """The component package running as a plugin process; use it as a context manager."""

    def __init__(
        self,
        plugin_dir: str | os.PathLike[str],
        *,
        engine_address: str = "127.0.0.1:0",
        python: str = sys.executable,
        start_timeout: float = 60.0,
    ) -> None:
        self.plugin_dir = Path(plugin_dir).resolve()
        self.engine_address = engine_address
        self.python = python
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self.stub: provider_pb2_grpc.ResourceProviderStub

    def __enter__(self) -> ComponentPluginProcess:
        # Kept open for the process's lifetime and closed on exit, so no context manager.
        self._stderr = tempfile.TemporaryFile()
        # The language host runs the directory itself, from inside it.
        self._process = subprocess.Popen(
            [self.python, str(self.plugin_dir), self.engine_address],
            cwd=self.plugin_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        try:
            port = read_port(
                self._process, self._stderr, self.start_timeout, what="the component package"
            )
            self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
            self.stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        stop_plugin(self._channel, self._process, self._stderr)
        self._channel, self._process, self._stderr = None, None, None

    def get_schema(self) -> dict[str, Any]:
        """The package schema, as ``pulumi package add`` asks for it."""
        response = self.stub.GetSchema(provider_pb2.GetSchemaRequest(version=0))
        schema: dict[str, Any] = json.loads(response.schema)
        return schema

    def construct(
        self, engine: FakeEngine, type_: str, name: str, inputs: dict[str, Any]
    ) -> provider_pb2.ConstructResponse:
        """Construct one component, as the engine does for a program's remote component.

        ``inputs`` are the component's inputs as on the wire (camelCase, numbers as floats).
        """
        self.stub.Configure(
            provider_pb2.ConfigureRequest(
                acceptSecrets=True, acceptResources=True, sends_old_inputs=True
            )
        )
        struct = struct_pb2.Struct()
        struct.update(inputs)
        response: provider_pb2.ConstructResponse = self.stub.Construct(
            provider_pb2.ConstructRequest(
                project=engine.project,
                stack=engine.stack,
                organization="organization",
                dryRun=engine.preview,
                parallel=4,
                monitorEndpoint=engine.address,
                type=type_,
                name=name,
                parent=engine.stack_urn,
                inputs=struct,
            )
        )
        return response
