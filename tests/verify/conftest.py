"""One moto server per test module, reached through ``AWS_ENDPOINT_URL`` as a user's endpoint
would be, so the verifier's own clients, retries and pagination are exercised."""

from __future__ import annotations

import itertools
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

import verify.wait
from tests.support.program import PROJECT_DIR
from tests.support.verify_accounts import dev_account
from verify.aws import AWS_ERRORS


@pytest.fixture(autouse=True)
def no_traceback_hidden_in_a_row(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[Exception]]:
    """Fail any test in which a probe raised something other than an AWS error, unless it asks
    for ``unexpected_answers`` (it injects an answer of the wrong shape). The runner turns such
    an error into an ``unknown`` row, so a bug in a check would otherwise pass as "could not
    tell": a traceback anywhere in verify fails the suite."""
    caught: list[Exception] = []
    describe = verify.wait.failure_detail

    def watching(error: Exception) -> str:
        if not isinstance(error, AWS_ERRORS):
            caught.append(error)
        return describe(error)

    monkeypatch.setattr(verify.wait, "failure_detail", watching)
    yield caught
    if caught and "unexpected_answers" not in request.fixturenames:
        shown = "".join(traceback.format_exception(caught[0]))
        pytest.fail(f"a probe raised {len(caught)} error(s) that are not AWS's:\n{shown}")


@pytest.fixture
def unexpected_answers(no_traceback_hidden_in_a_row: list[Exception]) -> list[Exception]:
    """The errors, not AWS's, that probes raised: for a test that injects answers of the wrong
    shape."""
    return no_traceback_hidden_in_a_row


def free_port() -> int:
    """A TCP port nothing listens on, for now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """A moto server on 127.0.0.1, for the whole module."""
    # The server's request log would fill the captured output of every failing test.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


_ACCOUNTS = itertools.count(100_000_000_001)


def fresh_account() -> str:
    """An account id no test has used: moto keeps each account's resources apart."""
    return f"{next(_ACCOUNTS):012d}"


@pytest.fixture
def endpoint(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The module's moto server, with the environment pointing boto3 at it and at nothing
    else: fake keys, no profile, no shared config; and an account of the test's own.

    The server is not reset between tests (moto's servers in this process share one state).
    Instead each test gets a fresh account (moto's ``MOTO_ACCOUNT_ID``, which the in-process
    server reads per request), so the VPCs one test leaves without a flow log are not in
    another's coverage. A new account's region costs moto under a second to build.
    """
    for name, value in fake_aws_environment(moto_endpoint).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", fresh_account())
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    return moto_endpoint


def fake_aws_environment(endpoint: str) -> dict[str, str]:
    """Environment variables that send boto3 to ``endpoint`` with fake keys."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


_SESSIONS: dict[str, boto3.Session] = {}


@pytest.fixture
def session(endpoint: str) -> boto3.Session:
    """One boto3 session per server, shared by the module's runs: a new session loads every
    service model again, which costs a few tenths of a second per client."""
    return _SESSIONS.setdefault(endpoint, boto3.Session())


@dataclass
class WaitingRun:
    """``python -m verify dev --wait 1 --json`` over an account whose group gets no records,
    running beside the other tests. A thread reads its output and notes when it ended, so the
    time it ran does not include the tests that ran before its own."""

    process: subprocess.Popen[str]
    started: float
    """``time.monotonic()`` when it started."""
    output: tuple[str, str] = ("", "")
    ended: float = 0.0

    def __post_init__(self) -> None:
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        self.output = self.process.communicate()
        self.ended = time.monotonic()

    def result(self) -> tuple[int, str, str, float]:
        """Its exit code, stdout and stderr, and how many seconds it ran."""
        self._reader.join(timeout=150)
        out, err = self.output
        return self.process.returncode, out, err, self.ended - self.started


@pytest.fixture(scope="session")
def waiting_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WaitingRun]:
    """The one real ``--wait 1`` run: it polls for about a minute, so it runs beside the other
    tests, against its own moto server in another process (the module servers share this
    process's moto state, which their tests change)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    environment = fake_aws_environment(f"http://127.0.0.1:{port}")
    process = None
    try:
        _wait_for_port(port)
        with pytest.MonkeyPatch.context() as patch:
            for name, value in environment.items():
                patch.setenv(name, value)
            outputs = dev_account(records_age=None).write(tmp_path_factory.mktemp("waiting"))
        command = ["dev", "--outputs", str(outputs), "--wait", "1", "--json"]
        process = subprocess.Popen(
            [sys.executable, "-m", "verify", *command],
            cwd=PROJECT_DIR,
            env={**os.environ, **environment},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        yield WaitingRun(process, time.monotonic())
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session", autouse=True)
def _start_the_waiting_run_first(request: pytest.FixtureRequest) -> None:
    """Start ``waiting_run`` before the first test here, when a selected test needs it."""
    if any("waiting_run" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("waiting_run")


def _wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"moto's server did not listen on port {port} within {seconds} s")
