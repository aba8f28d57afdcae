"""Where flow logs land in S3, and how long they stay: paths, ARNs, names and lifecycle rules.

Pure functions of the settings and the account, region and partition the provider reports, so
the tests can check every path against the layout AWS documents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from components.aws_context import AwsContext
from components.storage.documents import bucket_arn
from components.storage.settings import (
    ATHENA_RESULTS_DAYS,
    ATHENA_RESULTS_PREFIX,
    NONCURRENT_VERSION_DAYS,
    STORAGE_CLASS_COLDNESS,
)

_MAX_BUCKET_NAME = 63
_NOT_BUCKET_CHARS = re.compile(r"[^a-z0-9-]+")


def folder(prefix: str) -> str:
    """The prefix as a key folder: ``""`` or ``"<prefix>/"``."""
    return f"{prefix}/" if prefix else ""


def destination_arn(partition: str, bucket: str, prefix: str) -> str:
    """A flow log's ``log_destination``: the bucket's ARN, with ``/<prefix>`` when set."""
    arn = bucket_arn(partition, bucket)
    return f"{arn}/{prefix}" if prefix else arn


def logs_key_prefix(prefix: str) -> str:
    """The key prefix of every object flow-log delivery writes: ``[prefix/]AWSLogs/``."""
    return f"{folder(prefix)}AWSLogs/"


def service_folder(context: AwsContext, prefix: str, hive_partitions: bool) -> str:
    """The key folder under which AWS writes this account's flow logs, every region's.

    The region's folder (``<region>/``, or ``aws-region=<region>/``) follows it, then the
    dated ones; the Athena table's location template spells those out.
    """
    if hive_partitions:
        return (
            f"{logs_key_prefix(prefix)}aws-account-id={context.account_id}/aws-service=vpcflowlogs/"
        )
    return f"{logs_key_prefix(prefix)}{context.account_id}/vpcflowlogs/"


def default_bucket_name(name: str, stack: str, context: AwsContext) -> str:
    """A bucket name for a component, unique per stack, account and region, known in a preview.

    ``<name>-<stack>-<account>-<region>``, lower case; when too long for S3's 63 characters, the
    leading part is shortened and a hash of it keeps it unique.
    """
    suffix = f"-{context.account_id}-{context.region}"
    lead = _NOT_BUCKET_CHARS.sub("-", f"{name}-{stack}".lower()).strip("-")
    room = _MAX_BUCKET_NAME - len(suffix)
    if len(lead) > room:
        digest = hashlib.sha256(lead.encode()).hexdigest()[:8]
        lead = f"{lead[: room - 9].rstrip('-')}-{digest}"
    return f"{lead}{suffix}"


def log_lifecycle_rules(
    prefix: str, transitions: Mapping[str, int], expiration_days: int
) -> list[dict[str, Any]]:
    """The lifecycle rule for the flow-log objects: transitions, expiration, old versions."""
    ordered = sorted(transitions.items(), key=lambda item: STORAGE_CLASS_COLDNESS[item[0]])
    return [
        {
            "id": "flow-logs",
            "status": "Enabled",
            "filter": {"prefix": logs_key_prefix(prefix)},
            "transitions": [
                {"days": days, "storage_class": storage_class} for storage_class, days in ordered
            ],
            "expiration": {"days": expiration_days},
            "noncurrent_version_expiration": {"noncurrent_days": NONCURRENT_VERSION_DAYS},
            "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
        }
    ]


def results_lifecycle_rules(prefix: str = ATHENA_RESULTS_PREFIX) -> list[dict[str, Any]]:
    """The lifecycle rule that expires Athena's query results (and their old versions)."""
    return [
        {
            "id": "athena-results",
            "status": "Enabled",
            "filter": {"prefix": prefix},
            "expiration": {"days": ATHENA_RESULTS_DAYS},
            "noncurrent_version_expiration": {"noncurrent_days": 1},
            "abort_incomplete_multipart_upload": {"days_after_initiation": 1},
        }
    ]
