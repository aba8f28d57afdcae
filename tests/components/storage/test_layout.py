"""Paths, names and lifecycle rules for flow logs in S3, against the layout AWS documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from components.aws_context import AwsContext
from components.storage.layout import (
    default_bucket_name,
    destination_arn,
    log_lifecycle_rules,
    logs_key_prefix,
    results_lifecycle_rules,
    service_folder,
)

CONTEXT = AwsContext("123456789012", "eu-west-1", "aws", "amazonaws.com")
WHEN = datetime(2026, 3, 9, 7, 41, tzinfo=UTC)


def aws_object_key(prefix: str, hive: bool, per_hour: bool) -> str:
    """A key AWS writes, spelled out as its documentation gives it."""
    folder = f"{prefix}/" if prefix else ""
    name = "123456789012_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20260309T0740Z_1a2b3c4d.log.gz"
    if hive:
        dated = "year=2026/month=03/day=09/" + ("hour=07/" if per_hour else "")
        return (
            f"{folder}AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
            f"aws-region=eu-west-1/{dated}{name}"
        )
    dated = "2026/03/09/" + ("07/" if per_hour else "")
    return f"{folder}AWSLogs/123456789012/vpcflowlogs/eu-west-1/{dated}{name}"


@pytest.mark.parametrize("prefix", ["", "net/flow-logs"])
@pytest.mark.parametrize("hive", [False, True])
@pytest.mark.parametrize("per_hour", [False, True])
def test_every_object_aws_writes_is_under_the_service_folder_and_the_lifecycle_prefix(
    prefix: str, hive: bool, per_hour: bool
) -> None:
    key = aws_object_key(prefix, hive, per_hour)

    folder = service_folder(CONTEXT, prefix, hive)
    assert key.startswith(folder)
    assert key[len(folder) :].startswith("aws-region=eu-west-1/" if hive else "eu-west-1/")
    assert key.startswith(logs_key_prefix(prefix))
    (rule,) = log_lifecycle_rules(prefix, {}, 365)
    assert key.startswith(rule["filter"]["prefix"])


def test_service_folders() -> None:
    assert service_folder(CONTEXT, "", False) == "AWSLogs/123456789012/vpcflowlogs/"
    assert service_folder(CONTEXT, "fl", True) == (
        "fl/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
    )


def test_destination_is_the_bucket_arn_with_the_prefix_when_set() -> None:
    assert destination_arn("aws", "logs", "") == "arn:aws:s3:::logs"
    assert destination_arn("aws-cn", "logs", "net/fl") == "arn:aws-cn:s3:::logs/net/fl"


def test_default_bucket_name_is_unique_per_stack_account_and_region() -> None:
    assert default_bucket_name("vpc-flow-logs-s3", "Prod_EU", CONTEXT) == (
        "vpc-flow-logs-s3-prod-eu-123456789012-eu-west-1"
    )


def test_a_long_bucket_name_is_shortened_with_a_hash_and_stays_valid() -> None:
    long_a = default_bucket_name("vpc-flow-logs-s3", "a" * 40 + "-one", CONTEXT)
    long_b = default_bucket_name("vpc-flow-logs-s3", "a" * 40 + "-two", CONTEXT)

    assert len(long_a) == 63
    assert long_a.endswith("-123456789012-eu-west-1")
    assert long_a != long_b


def test_log_rule_moves_objects_warm_to_cold_then_expires_them() -> None:
    (rule,) = log_lifecycle_rules("fl", {"GLACIER_IR": 90, "STANDARD_IA": 30}, 400)

    assert rule == {
        "id": "flow-logs",
        "status": "Enabled",
        "filter": {"prefix": "fl/AWSLogs/"},
        "transitions": [
            {"days": 30, "storage_class": "STANDARD_IA"},
            {"days": 90, "storage_class": "GLACIER_IR"},
        ],
        "expiration": {"days": 400},
        "noncurrent_version_expiration": {"noncurrent_days": 30},
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }


def test_results_rule_expires_query_results_within_a_week() -> None:
    (rule,) = results_lifecycle_rules()

    assert rule["filter"] == {"prefix": "athena-results/"}
    assert rule["expiration"] == {"days": 7}
    assert rule["status"] == "Enabled"
