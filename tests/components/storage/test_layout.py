"""Paths, names and lifecycle rules for flow logs in S3, against the layout AWS documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from components.aws_context import AwsContext
from components.storage.layout import (
    abort_incomplete_uploads_rule,
    access_log_lifecycle_rules,
    api_destination_options,
    default_bucket_name,
    destination_arn,
    destination_options,
    log_lifecycle_rules,
    logs_key_prefix,
    results_lifecycle_rules,
    service_folder,
    transit_gateway_prefix,
)
from components.storage.settings import FileFormat, prefix_problems

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
    vpc_rule, gateway_rule = log_lifecycle_rules(prefix, {}, 365)
    assert key.startswith(vpc_rule["filter"]["prefix"])
    assert not key.startswith(gateway_rule["filter"]["prefix"])


@pytest.mark.parametrize("prefix", ["", "net/flow-logs"])
@pytest.mark.parametrize("hive", [False, True])
@pytest.mark.parametrize("per_hour", [False, True])
def test_transit_gateway_objects_are_outside_the_vpc_folder_and_under_a_rule_of_their_own(
    prefix: str, hive: bool, per_hour: bool
) -> None:
    # AWS writes under the destination's path as it does for a VPC: same AWSLogs layout.
    key = aws_object_key(transit_gateway_prefix(prefix), hive, per_hour)

    assert not key.startswith(logs_key_prefix(prefix))
    assert not key.startswith(service_folder(CONTEXT, prefix, hive))
    vpc_rule, gateway_rule = log_lifecycle_rules(prefix, {}, 365)
    assert not key.startswith(vpc_rule["filter"]["prefix"])
    assert key.startswith(gateway_rule["filter"]["prefix"])


def test_transit_gateway_folder_is_a_prefix_aws_accepts() -> None:
    assert transit_gateway_prefix("") == "transit-gateways"
    assert transit_gateway_prefix("net/fl") == "net/fl/transit-gateways"
    # Not AWSLogs, which AWS reserves, and a safe folder name, whatever the user's prefix.
    assert prefix_problems(transit_gateway_prefix("")) == []
    assert prefix_problems(transit_gateway_prefix("net/fl")) == []


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


def test_log_rules_move_objects_warm_to_cold_then_expire_them() -> None:
    rule, gateway_rule = log_lifecycle_rules("fl", {"GLACIER_IR": 90, "STANDARD_IA": 30}, 400)

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
    }
    assert gateway_rule == {
        **rule,
        "id": "transit-gateway-flow-logs",
        "filter": {"prefix": "fl/transit-gateways/AWSLogs/"},
    }


def test_results_rule_expires_query_results_within_a_week() -> None:
    (rule,) = results_lifecycle_rules()

    assert rule["filter"] == {"prefix": "athena-results/"}
    assert rule["expiration"] == {"days": 7}
    assert rule["status"] == "Enabled"


def test_access_logs_expire_bucket_wide_with_their_old_versions() -> None:
    assert access_log_lifecycle_rules(400) == [
        {
            "id": "access-logs",
            "status": "Enabled",
            "filter": {},
            "expiration": {"days": 400},
            "noncurrent_version_expiration": {"noncurrent_days": 30},
        }
    ]


def test_incomplete_uploads_are_aborted_bucket_wide_by_the_only_rule_that_aborts_them() -> None:
    assert abort_incomplete_uploads_rule() == {
        "id": "abort-incomplete-uploads",
        "status": "Enabled",
        "filter": {},
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
    others = [
        *log_lifecycle_rules("fl", {}, 365),
        *results_lifecycle_rules(),
        *access_log_lifecycle_rules(365),
    ]
    assert not any("abort_incomplete_multipart_upload" in rule for rule in others)


@pytest.mark.parametrize(
    ("file_format", "hive", "per_hour"),
    [(FileFormat.PARQUET, True, False), (FileFormat.PLAIN_TEXT, False, True)],
)
def test_destination_options_name_the_layout_for_pulumi_and_for_the_ec2_api(
    file_format: FileFormat, hive: bool, per_hour: bool
) -> None:
    options = destination_options(file_format, hive, per_hour)

    assert options == {
        "file_format": file_format.value,
        "hive_compatible_partitions": hive,
        "per_hour_partition": per_hour,
    }
    # The names CreateFlowLogs takes; test_automation.py checks them against botocore's model.
    assert api_destination_options(options) == {
        "FileFormat": file_format.value,
        "HiveCompatiblePartitions": hive,
        "PerHourPartition": per_hour,
    }
