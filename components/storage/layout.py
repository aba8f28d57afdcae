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
    FileFormat,
)

TRANSIT_GATEWAY_FOLDER = "transit-gateways"
"""The folder, under the prefix, of transit-gateway flow logs."""
INCOMPLETE_UPLOAD_DAYS = 7
"""Days after which an incomplete multipart upload is aborted and its parts deleted."""

_MAX_BUCKET_NAME = 63
_NOT_BUCKET_CHARS = re.compile(r"[^a-z0-9-]+")


def folder(prefix: str) -> str:
    """The prefix as a key folder: ``""`` or ``"<prefix>/"``."""
    return f"{prefix}/" if prefix else ""


def destination_arn(partition: str, bucket: str, prefix: str) -> str:
    """A flow log's ``log_destination``: the bucket's ARN, with ``/<prefix>`` when set."""
    arn = bucket_arn(partition, bucket)
    return f"{arn}/{prefix}" if prefix else arn


def destination_options(
    file_format: FileFormat, hive_partitions: bool, per_hour_partition: bool
) -> dict[str, Any]:
    """A flow log's ``destination_options`` for this layout, named as pulumi-aws names them.

    EC2's ``CreateFlowLogs`` takes the same options as ``DestinationOptions`` in PascalCase
    (``api_destination_options``): the stack's flow logs and its drift repairs write one layout.
    """
    return {
        "file_format": FileFormat(file_format).value,
        "hive_compatible_partitions": hive_partitions,
        "per_hour_partition": per_hour_partition,
    }


def api_destination_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """``destination_options`` as EC2's ``CreateFlowLogs`` API spells them:
    ``{"FileFormat": ..., "HiveCompatiblePartitions": ..., "PerHourPartition": ...}``."""
    return {
        "".join(word.capitalize() for word in name.split("_")): value
        for name, value in options.items()
    }


def logs_key_prefix(prefix: str) -> str:
    """The key prefix of every object flow-log delivery writes: ``[prefix/]AWSLogs/``."""
    return f"{folder(prefix)}AWSLogs/"


def transit_gateway_prefix(prefix: str) -> str:
    """Where transit-gateway flow logs are delivered: ``<prefix>/transit-gateways``, or
    ``transit-gateways`` at the bucket's root.

    Their records are in AWS's transit-gateway format, not the VPC one, and AWS writes them under
    the same ``vpcflowlogs`` service folder; only a prefix of their own keeps them out of the VPC
    table's location, ``[prefix/]AWSLogs/...``.
    """
    return f"{folder(prefix)}{TRANSIT_GATEWAY_FOLDER}"


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
    """The lifecycle rules for the flow-log objects, VPC-format and transit-gateway-format
    alike: transitions, expiration, old versions.

    The transit gateways' rule is there whether or not any is logged today, so objects written
    while one was logged still expire after it is no longer.
    """
    ordered = sorted(transitions.items(), key=lambda item: STORAGE_CLASS_COLDNESS[item[0]])
    return [
        {
            "id": rule_id,
            "status": "Enabled",
            "filter": {"prefix": logs_key_prefix(folder_prefix)},
            "transitions": [
                {"days": days, "storage_class": storage_class} for storage_class, days in ordered
            ],
            "expiration": {"days": expiration_days},
            "noncurrent_version_expiration": {"noncurrent_days": NONCURRENT_VERSION_DAYS},
        }
        for rule_id, folder_prefix in (
            ("flow-logs", prefix),
            ("transit-gateway-flow-logs", transit_gateway_prefix(prefix)),
        )
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
        }
    ]


def access_log_lifecycle_rules(expiration_days: int) -> list[dict[str, Any]]:
    """The lifecycle rule of the access-log bucket, which holds nothing else: every object
    expires after ``expiration_days``, and old versions after ``NONCURRENT_VERSION_DAYS``."""
    return [
        {
            "id": "access-logs",
            "status": "Enabled",
            # An empty filter: every object in the bucket.
            "filter": {},
            "expiration": {"days": expiration_days},
            "noncurrent_version_expiration": {"noncurrent_days": NONCURRENT_VERSION_DAYS},
        }
    ]


def abort_incomplete_uploads_rule() -> dict[str, Any]:
    """A rule that aborts every multipart upload still incomplete after
    ``INCOMPLETE_UPLOAD_DAYS``, bucket-wide: its parts are billed but never seen in a listing.

    The only rule with this action, so no two rules' filters overlap on it.
    """
    return {
        "id": "abort-incomplete-uploads",
        "status": "Enabled",
        # An empty filter: every key in the bucket, not only the logs' prefixes.
        "filter": {},
        "abort_incomplete_multipart_upload": {"days_after_initiation": INCOMPLETE_UPLOAD_DAYS},
    }
