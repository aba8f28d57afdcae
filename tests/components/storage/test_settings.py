"""Storage settings: decoding the config keys, the defaults, and every message for bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest

from components.config import SettingsError
from components.settings import parse_settings
from components.storage.settings import (
    DEFAULT_TRANSITIONS,
    Destination,
    FileFormat,
    StorageSettings,
    glue_name_problems,
    workgroup_name_problems,
)

CLASSES = "STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE"


def test_nothing_set_means_cloudwatch_only_with_documented_s3_defaults() -> None:
    settings = parse_settings({})
    assert settings.storage is None
    assert (settings.to_cloudwatch, settings.to_s3) == (True, False)

    storage = StorageSettings()
    assert storage == StorageSettings(
        destination=Destination.CLOUDWATCH,
        bucket_arn=None,
        prefix="",
        file_format=FileFormat.PARQUET,
        hive_partitions=True,
        per_hour_partition=False,
        transitions={"STANDARD_IA": 30, "GLACIER_IR": 90},
        expiration_days=365,
        athena=True,
        athena_scan_limit_gb=10,
    )
    assert (storage.to_cloudwatch, storage.to_s3) == (True, False)


@pytest.mark.parametrize(
    ("destination", "cloudwatch", "s3"),
    [("cloudwatch", True, False), ("s3", False, True), ("both", True, True)],
)
def test_destination_decides_where_flow_logs_go(
    destination: str, cloudwatch: bool, s3: bool
) -> None:
    settings = parse_settings({"destination": destination})

    assert (settings.to_cloudwatch, settings.to_s3) == (cloudwatch, s3)
    # CloudWatch alone loads nothing of S3's.
    assert (settings.storage is None) == (destination == "cloudwatch")


def test_values_arrive_as_the_cli_passes_them() -> None:
    storage = parse_settings(
        {
            "destination": "both",
            "bucketArn": "arn:aws-us-gov:s3:::org.flow-logs-archive",
            "s3Prefix": "network/flow-logs",
            "s3FileFormat": "plain-text",
            "s3HivePartitions": "false",
            "s3PerHourPartition": "true",
            "s3Transitions": '{"STANDARD_IA": 30, "GLACIER": 120, "DEEP_ARCHIVE": 300}',
            "s3ExpirationDays": "731",
            "athena": "false",
            "athenaScanLimitGb": "100",
        }
    ).storage

    assert storage is not None
    assert storage.destination is Destination.BOTH
    assert storage.bucket_arn == "arn:aws-us-gov:s3:::org.flow-logs-archive"
    assert storage.bucket_name == "org.flow-logs-archive"
    assert storage.prefix == "network/flow-logs"
    assert storage.file_format is FileFormat.PLAIN_TEXT
    assert storage.hive_partitions is False
    assert storage.per_hour_partition is True
    assert storage.transitions == {"STANDARD_IA": 30, "GLACIER": 120, "DEEP_ARCHIVE": 300}
    assert storage.expiration_days == 731
    assert storage.athena is False
    assert storage.athena_scan_limit_gb == 100


def test_an_empty_transition_map_means_no_transitions() -> None:
    storage = parse_settings({"destination": "s3", "s3Transitions": "{}"}).storage

    assert storage is not None
    assert storage.transitions == {}
    assert DEFAULT_TRANSITIONS == {"STANDARD_IA": 30, "GLACIER_IR": 90}


def test_transitions_must_be_whole_numbers() -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings({"s3Transitions": '{"GLACIER": "soon"}'})

    assert str(error.value) == "s3Transitions: {'GLACIER': 'soon'} is not a map of whole numbers."


S3 = {"destination": "s3"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"destination": "firehose"},
            "destination: 'firehose' is not a flow-log destination; use one of cloudwatch, s3, "
            "both.",
        ),
        (
            {**S3, "s3FileFormat": "csv"},
            "s3FileFormat: 'csv' is not a flow-log file format; use one of parquet, plain-text.",
        ),
        (
            {**S3, "s3Transitions": '{"GLACIER_FLEXIBLE": 90}'},
            "s3Transitions: 'GLACIER_FLEXIBLE' is not a storage class a lifecycle rule can move "
            f"objects to; use one of {CLASSES}.",
        ),
        (
            {**S3, "s3Prefix": "AWSLogs"},
            "s3Prefix: 'AWSLogs' starts with 'AWSLogs', which AWS reserves for the folders it "
            "writes under your prefix; choose another name, such as 'flow-logs'.",
        ),
        (
            {**S3, "s3Prefix": "AWSLogs/mine"},
            "s3Prefix: 'AWSLogs/mine' starts with 'AWSLogs', which AWS reserves for the folders "
            "it writes under your prefix; choose another name, such as 'flow-logs'.",
        ),
        (
            {**S3, "s3Prefix": "/flow-logs"},
            "s3Prefix: '/flow-logs' starts or ends with '/'; write the folder without them, "
            "such as 'flow-logs' or 'network/flow-logs'.",
        ),
        (
            {**S3, "s3Prefix": "flow-logs/"},
            "s3Prefix: 'flow-logs/' starts or ends with '/'; write the folder without them, "
            "such as 'flow-logs' or 'network/flow-logs'.",
        ),
        (
            {**S3, "s3Prefix": "flow logs"},
            "s3Prefix: 'flow logs' is not a safe S3 folder name; use letters, digits and "
            "! - _ . * ' ( ), with single '/' between folders.",
        ),
        (
            {**S3, "s3Prefix": "network//flow-logs"},
            "s3Prefix: 'network//flow-logs' is not a safe S3 folder name; use letters, digits "
            "and ! - _ . * ' ( ), with single '/' between folders.",
        ),
        (
            {**S3, "s3Transitions": '{"STANDARD_IA": 7}'},
            "s3Transitions: STANDARD_IA after 7 days is too soon; S3 moves objects to "
            "STANDARD_IA only once they are at least 30 days old.",
        ),
        (
            {**S3, "s3Transitions": '{"ONEZONE_IA": 29}'},
            "s3Transitions: ONEZONE_IA after 29 days is too soon; S3 moves objects to "
            "ONEZONE_IA only once they are at least 30 days old.",
        ),
        (
            {**S3, "s3Transitions": '{"GLACIER": -1}'},
            "s3Transitions: GLACIER after -1 days is negative; give an age in days, 0 or more.",
        ),
        (
            {**S3, "s3Transitions": '{"GLACIER_IR": 60, "STANDARD_IA": 90}'},
            "s3Transitions: GLACIER_IR after 60 days does not come after STANDARD_IA after 90 "
            "days; a colder class needs more days (from warm to cold: "
            f"{CLASSES}).",
        ),
        (
            {**S3, "s3Transitions": '{"STANDARD_IA": 30, "GLACIER_IR": 30}'},
            "s3Transitions: GLACIER_IR after 30 days does not come after STANDARD_IA after 30 "
            f"days; a colder class needs more days (from warm to cold: {CLASSES}).",
        ),
        (
            {**S3, "s3Transitions": '{"STANDARD_IA": 30, "GLACIER": 45}'},
            "s3Transitions: GLACIER after 45 days is only 15 days after STANDARD_IA after 30 "
            "days; S3 needs objects to stay in STANDARD_IA for at least 30 days.",
        ),
        (
            {**S3, "s3ExpirationDays": "0"},
            "s3ExpirationDays: 0 means never expire, which this project refuses; give the age "
            "in days at which log objects are deleted, such as 365.",
        ),
        (
            {**S3, "s3ExpirationDays": "-5"},
            "s3ExpirationDays: -5 is negative; give an age in days, 1 or more.",
        ),
        (
            {**S3, "s3ExpirationDays": "90"},
            "s3ExpirationDays: 90 is not later than every transition (GLACIER_IR after 90 "
            "days); objects must expire strictly after their last transition.",
        ),
        (
            {**S3, "s3ExpirationDays": "60"},
            "s3ExpirationDays: 60 is not later than every transition (GLACIER_IR after 90 "
            "days); objects must expire strictly after their last transition.",
        ),
        (
            {**S3, "bucketArn": "arn:aws:s3:us-east-1:123456789012:flow-logs"},
            "bucketArn: 'arn:aws:s3:us-east-1:123456789012:flow-logs' is not an S3 bucket ARN; "
            "expected arn:<partition>:s3:::<bucket-name>.",
        ),
        (
            {**S3, "bucketArn": "flow-logs"},
            "bucketArn: 'flow-logs' is not an S3 bucket ARN; expected "
            "arn:<partition>:s3:::<bucket-name>.",
        ),
        (
            {**S3, "bucketArn": "arn:aws:s3:::flow-logs/network"},
            "bucketArn: 'arn:aws:s3:::flow-logs/network' carries a path ('/network'); give the "
            "bucket's ARN alone and the folder as s3Prefix.",
        ),
        (
            {"bucketArn": "arn:aws:s3:::flow-logs"},
            "bucketArn: 'arn:aws:s3:::flow-logs' is set, but destination is 'cloudwatch', which "
            "writes nothing to S3; set destination to s3 or both, or leave it unset.",
        ),
        (
            {"destination": "cloudwatch", "s3Prefix": "flow-logs"},
            "s3Prefix: 'flow-logs' is set, but destination is 'cloudwatch', which writes nothing "
            "to S3; set destination to s3 or both, or leave it unset.",
        ),
        (
            {**S3, "athenaScanLimitGb": "0"},
            "athenaScanLimitGb: 0 is below 1; give the most GB one Athena query may scan, 1 or "
            "more.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_key_value_and_rule(
    raw: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings(raw)

    assert str(error.value) == message


def test_every_problem_is_reported_at_once_with_the_other_capabilities() -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings(
            {
                "retentionInDays": "10",
                "destination": "s3",
                "s3Prefix": "/x",
                "athenaScanLimitGb": "0",
            }
        )

    assert [line.split(":")[0] for line in str(error.value).split("\n")] == [
        "retentionInDays",
        "s3Prefix",
        "athenaScanLimitGb",
    ]


def test_component_args_use_field_names_and_always_mean_s3() -> None:
    args: dict[str, Any] = {"prefix": "fl", "per_hour_partition": True, "vpc_ids": {}}

    storage = StorageSettings.from_args(args)

    assert storage.destination is Destination.S3
    assert (storage.prefix, storage.per_hour_partition) == ("fl", True)


def test_component_args_are_validated_the_same_way() -> None:
    with pytest.raises(SettingsError, match=re.escape("s3Prefix: 'AWSLogs' starts with")):
        StorageSettings.from_args({"prefix": "AWSLogs"})


@pytest.mark.parametrize("name", ["vpc_flow_logs_prod", "a", "x" * 255])
def test_glue_names_athena_can_query(name: str) -> None:
    assert glue_name_problems("databaseName", name) == []


@pytest.mark.parametrize("name", ["Flow_Logs", "flow-logs", "", "x" * 256])
def test_other_glue_names_are_refused(name: str) -> None:
    assert glue_name_problems("databaseName", name) == [
        f"databaseName: {name!r} is not a name Athena can query; use 1 to 255 characters from "
        "a-z 0-9 _ (lower case)."
    ]


def test_workgroup_names() -> None:
    assert workgroup_name_problems("vpc-flow-logs.prod_1") == []
    assert workgroup_name_problems("flow logs") == [
        "workgroupName: 'flow logs' is not an Athena workgroup name; use 1 to 128 characters "
        "from A-Z a-z 0-9 . _ -."
    ]


def test_component_args_may_carry_numbers_as_floats_as_the_provider_protocol_does() -> None:
    storage = StorageSettings.from_args(
        {"expiration_days": 400.0, "athena_scan_limit_gb": 5.0, "transitions": {"GLACIER": 90.0}}
    )

    assert storage.expiration_days == 400 and isinstance(storage.expiration_days, int)
    assert storage.athena_scan_limit_gb == 5 and isinstance(storage.athena_scan_limit_gb, int)
    assert storage.transitions == {"GLACIER": 90}
    assert isinstance(storage.transitions["GLACIER"], int)
