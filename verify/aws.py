"""Bounded AWS clients for the verifier; the failures that end a run with exit code 2 before any
check; and the one line that says why a check's call failed.

boto3's standard credential chain, and ``AWS_ENDPOINT_URL`` (read by boto3 itself), decide what
is called. Every client has short connect and read timeouts and a few retries, so an endpoint
that does not answer ends the run within a minute instead of hanging.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    TokenRetrievalError,
)
from botocore.exceptions import (
    ConnectionError as UnreachableError,
)
from botocore.parsers import ResponseParserError

CONNECT_TIMEOUT = 3
"""Seconds to open a connection."""
READ_TIMEOUT = 10
"""Seconds to wait for an answer once connected."""
MAX_ATTEMPTS = 3
"""Attempts per call, the first included; with standard retries' backoff, an endpoint that
never answers costs at most about 3 x (3 + 10) seconds plus a few seconds of backoff."""

CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
    # botocore's ``max_attempts`` counts retries only; ``total_max_attempts`` counts them all.
    retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"},
)

AUTH_ERROR_CODES = frozenset(
    {
        "AuthFailure",
        "ExpiredToken",
        "ExpiredTokenException",
        "IncompleteSignature",
        "InvalidAccessKeyId",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "MissingAuthenticationToken",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
    }
)
"""Error codes meaning the credentials themselves were refused."""

DENIED_ERROR_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "AuthorizationError", "UnauthorizedOperation"}
)
"""Error codes meaning the credentials are valid but may not make the call."""

THROTTLING_ERROR_CODES = frozenset(
    {
        "EC2ThrottledException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)
"""Error codes meaning AWS throttled the call; botocore retries them, so one reaching a check
was throttled on every attempt."""


AWS_ERRORS = (BotoCoreError, ClientError, ResponseParserError)
"""What a call can raise: botocore's own errors, the service's answer, and an answer that is not
AWS's at all (a captive proxy, a wrong ``AWS_ENDPOINT_URL``)."""


class AwsUnavailable(Exception):
    """AWS cannot be asked: no credentials, refused credentials, a call not allowed, or an
    endpoint that does not answer. The message is one line for the user."""


ClientHook = Callable[[str, BaseClient], BaseClient]
"""Called with each new client's service name; returns the client to use (tests record the
calls made, or stub a service moto does not answer)."""


class Aws:
    """One bounded client per service and region, made on first use."""

    def __init__(self, session: boto3.Session | None = None, on_client: ClientHook | None = None):
        self._session = session or boto3.Session()
        self._on_client = on_client
        self._clients: dict[tuple[str, str], BaseClient] = {}

    def client(self, service: str, region: str) -> Any:
        """The client of ``service`` in ``region``."""
        key = (service, region)
        if key not in self._clients:
            try:
                client = self._session.client(service, region_name=region, config=CLIENT_CONFIG)
            except BotoCoreError as error:
                raise unavailable(error) from error
            if self._on_client is not None:
                client = self._on_client(service, client)
            self._clients[key] = client
        return self._clients[key]

    def account_id(self, region: str) -> str:
        """The account the credentials belong to. Asked first, so that missing credentials or an
        endpoint that does not answer end the run before any check; it needs no permission."""
        try:
            return str(self.client("sts", region).get_caller_identity()["Account"])
        except AWS_ERRORS as error:
            raise unavailable(error) from error


def unavailable(error: Exception) -> AwsUnavailable:
    """The one line that explains why AWS could not be asked."""
    if isinstance(error, ResponseParserError):
        first = str(error).splitlines()[0]
        return AwsUnavailable(
            f"the endpoint did not answer as AWS does ({first}); check the network, a proxy, "
            "or AWS_ENDPOINT_URL."
        )
    if isinstance(error, NoCredentialsError | PartialCredentialsError | TokenRetrievalError):
        return AwsUnavailable(
            f"no usable AWS credentials ({error}); sign in (for example `aws sso login`), set "
            "AWS_PROFILE, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    if isinstance(error, ProfileNotFound | NoRegionError):
        return AwsUnavailable(f"AWS is not configured: {error}.")
    if isinstance(error, UnreachableError | HTTPClientError):
        return AwsUnavailable(
            f"cannot reach AWS: {error}. Check the network, a proxy, or AWS_ENDPOINT_URL."
        )
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        operation = error.operation_name
        if code in AUTH_ERROR_CODES:
            return AwsUnavailable(
                f"AWS refused the credentials ({code} on {operation}); sign in again, or check "
                "AWS_PROFILE and the access key."
            )
        if code in DENIED_ERROR_CODES:
            return AwsUnavailable(
                f"the credentials may not call {operation} ({code}); use a role with "
                "deploy/verifier-policy.json."
            )
        return AwsUnavailable(f"AWS answered {operation} with {code}: {error}")
    return AwsUnavailable(f"AWS could not be asked: {error}")


def failure_detail(error: Exception) -> str:
    """Why a check could not tell, in one line: the AWS error and what to do, or what was wrong
    with an answer it could not read (a missing key, a value of another type)."""
    if isinstance(error, ClientError):
        code = error_code(error)
        operation = error.operation_name
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        message = error.response.get("Error", {}).get("Message", "")
        said = f"{code}: {message}" if message and message != code else code
        if code in THROTTLING_ERROR_CODES:
            return (
                f"could not tell: AWS throttled {operation} ({said}) on all {MAX_ATTEMPTS} "
                "attempts; run again later, or when fewer tools call this account."
            )
        if isinstance(status, int) and status >= 500:
            return (
                f"could not tell: AWS answered {operation} with HTTP {status} ({said}) on all "
                f"{MAX_ATTEMPTS} attempts, an error on AWS's side; run again later."
            )
        if code in DENIED_ERROR_CODES:
            return (
                f"could not tell: the credentials may not call {operation} ({said}); use a "
                "role with deploy/verifier-policy.json."
            )
        return f"could not tell: AWS answered {operation} with {said}."
    if isinstance(error, AWS_ERRORS):
        return f"could not tell: {unavailable(error)}"
    kind = type(error).__name__
    return f"could not tell: an answer from AWS was not of the expected shape ({kind}: {error})."


def error_code(error: ClientError) -> str:
    """The error code AWS answered with."""
    return str(error.response.get("Error", {}).get("Code", ""))
