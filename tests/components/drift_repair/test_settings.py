"""Drift-repair settings: the repairDrift key, and DriftRepairSettings built directly."""

from __future__ import annotations

import re

import pytest

from components.config import SettingsError
from components.drift_repair.settings import DriftRepairSettings
from components.flow_logs.settings import TrafficType
from components.settings import parse_settings
from components.storage.settings import FileFormat

LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-flow-logs-role-1a2b3c4"


def test_repair_drift_is_off_unless_set() -> None:
    assert parse_settings({}).repair_drift is False


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("false", False), (True, True)])
def test_repair_drift_arrives_as_the_cli_passes_it(raw: object, expected: bool) -> None:
    assert parse_settings({"repairDrift": raw}).repair_drift is expected


def test_a_bad_repair_drift_is_refused_by_name() -> None:
    with pytest.raises(
        SettingsError, match=re.escape("repairDrift: 'yes' is not a boolean; use true or false.")
    ):
        parse_settings({"repairDrift": "yes"})


def test_defaults_are_the_stacks_own() -> None:
    cloudwatch = DriftRepairSettings(log_group_arn=LOG_GROUP_ARN, delivery_role_arn=ROLE_ARN)

    assert cloudwatch.traffic_type is TrafficType.ALL
    assert cloudwatch.max_aggregation_interval == 60
    assert cloudwatch.flow_log_name == "ASG-VPC-FlowLogs"
    # The S3 layout S3FlowLogs defaults to.
    assert (cloudwatch.file_format, cloudwatch.hive_partitions) == (FileFormat.PARQUET, True)
    assert cloudwatch.per_hour_partition is False
    assert (cloudwatch.maximum_automatic_attempts, cloudwatch.retry_attempt_seconds) == (5, 60)
    assert cloudwatch.region is None and cloudwatch.log_format == () and cloudwatch.tags == {}


def test_loose_values_are_normalised() -> None:
    settings = DriftRepairSettings(
        log_bucket_arn="arn:aws:s3:::bucket",
        traffic_type="REJECT",  # type: ignore[arg-type]
        log_format=["version"],  # type: ignore[arg-type]
        file_format="plain-text",  # type: ignore[arg-type]
    )

    assert settings.traffic_type is TrafficType.REJECT
    assert settings.log_format == ("version",)
    assert settings.file_format is FileFormat.PLAIN_TEXT
