"""One moto server per test module, reached through ``AWS_ENDPOINT_URL`` as a user's endpoint
would be, so the verifier's own clients, retries and pagination are exercised."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer


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


@pytest.fixture
def endpoint(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The module's moto server, with the environment pointing boto3 at it and at nothing
    else: fake keys, no profile, no shared config.

    The server is not reset between tests: moto builds a region's EC2 backend anew after a
    reset, which costs a second or two each time. Each account builder replaces the named
    resources it makes (a log group, a bucket) and creates fresh ids for the rest.
    """
    for name, value in fake_aws_environment(moto_endpoint).items():
        monkeypatch.setenv(name, value)
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
