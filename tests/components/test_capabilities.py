"""Every key is checked whether its capability is on or not: ``Capability`` declarations, the
same messages on and off, and validators consulted only for keys that differ from their
``Pulumi.yaml`` defaults. (Which modules a stack imports: tests/test_lazy_loading.py.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
import yaml

from components.capabilities import (
    CAPABILITIES,
    CONFIG_KEYS,
    MONITORING_KEYS,
    STORAGE_KEYS,
    Capability,
)
from components.config import SettingsError, as_int
from components.settings import parse_settings
from tests.support.program import PROJECT_DIR

ALARMS_ON = {"alarms": "true", "alarmEmails": '["soc@example.com"]'}
S3_ON = {"destination": "s3"}


def refusal(raw: Mapping[str, object]) -> list[str]:
    with pytest.raises(SettingsError) as refused:
        parse_settings(raw)
    return str(refused.value).split("\n")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "rejectedThreshold",
            "-1",
            "rejectedThreshold: -1 is negative; use a positive number, or 0 to turn off.",
        ),
        (
            "deliveryStoppedMinutes",
            "2000",
            "deliveryStoppedMinutes: 2000 is more than a day; CloudWatch evaluates at most 1440 "
            "one-minute periods. Use 1 to 1440, or 0 to turn off.",
        ),
        (
            "knownBadAddresses",
            '["10.0.0.1/8"]',
            "knownBadAddresses: '10.0.0.1/8' has host bits set; did you mean '10.0.0.0/8'?",
        ),
        (
            "alarmTopicArn",
            "my-topic",
            "alarmTopicArn: 'my-topic' is not an SNS topic ARN; expected "
            "arn:<partition>:sns:<region>:<account>:<topic name>.",
        ),
    ],
)
def test_a_monitoring_key_is_refused_with_alarms_off_as_with_them_on(
    key: str, value: str, message: str
) -> None:
    assert refusal({key: value}) == [message]
    on = {**ALARMS_ON, key: value}
    if key == "alarmTopicArn":
        del on["alarmEmails"]
    assert refusal(on) == [message]


def test_bad_alarm_emails_are_refused_with_alarms_off_and_no_receiver_is_needed() -> None:
    message = "alarmEmails: 'soc' is not an email address; use name@example.com."

    assert refusal({"alarmEmails": '["soc"]'}) == [message]
    assert refusal({"alarms": "true", "alarmEmails": '["soc"]'}) == [message]
    # A receiver is asked for only when alarms are on.
    assert parse_settings({"rejectedThreshold": "5"}).monitoring is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "s3FileFormat",
            "csv",
            "s3FileFormat: 'csv' is not a flow-log file format; use one of parquet, plain-text.",
        ),
        (
            "s3ExpirationDays",
            "0",
            "s3ExpirationDays: 0 means never expire, which this project refuses; give the age "
            "in days at which log objects are deleted, such as 365.",
        ),
        (
            "athenaScanLimitGb",
            "0",
            "athenaScanLimitGb: 0 is below 1; give the most GB one Athena query may scan, 1 or "
            "more.",
        ),
    ],
)
def test_a_storage_key_is_refused_with_destination_cloudwatch_as_with_s3(
    key: str, value: str, message: str
) -> None:
    assert refusal({key: value}) == [message]
    assert refusal({"destination": "cloudwatch", key: value}) == [message]
    assert refusal({**S3_ON, key: value}) == [message]


def test_a_bad_s3_prefix_with_destination_cloudwatch_is_named_and_so_is_the_mismatch() -> None:
    problems = refusal({"s3Prefix": "AWSLogs"})

    assert problems[-1] == (
        "s3Prefix: 'AWSLogs' is set, but destination is 'cloudwatch', which writes nothing to "
        "S3; set destination to s3 or both, or leave it unset."
    )
    assert problems[:-1] == refusal({**S3_ON, "s3Prefix": "AWSLogs"})


def test_problems_of_capabilities_that_are_off_come_together_with_the_others() -> None:
    problems = refusal({"retentionInDays": "10", "s3FileFormat": "csv", "rejectedThreshold": "-2"})

    assert [p.split(":")[0] for p in problems] == [
        "retentionInDays",
        "rejectedThreshold",
        "s3FileFormat",
    ]


@pytest.mark.parametrize(
    "raw",
    [
        {"s3FileFormat": "plain-text", "s3PerHourPartition": "true", "s3Transitions": "{}"},
        {"rejectedThreshold": "5", "knownBadAddresses": '["203.0.113.0/24"]'},
        {"alarmTopicArn": "arn:aws:sns:us-east-1:123456789012:soc"},
    ],
)
def test_good_values_of_capabilities_that_are_off_are_accepted_and_build_nothing(
    raw: dict[str, str],
) -> None:
    settings = parse_settings(raw)

    assert (settings.monitoring, settings.storage) == (None, None)


# The declarations.


def pulumi_yaml_defaults() -> dict[str, Any]:
    declared = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["config"]
    return {key: declaration["default"] for key, declaration in declared.items()}


@pytest.mark.parametrize("name", list(CAPABILITIES))
def test_each_capabilitys_defaults_are_pulumi_yamls_decoded(name: str) -> None:
    capability = CAPABILITIES[name]
    yaml_defaults = pulumi_yaml_defaults()

    assert set(capability.defaults) == set(capability.keys)
    for key, decoder in capability.keys.items():
        assert decoder(key, yaml_defaults[key]) == capability.defaults[key], key


def test_every_capability_key_is_a_config_key_and_the_old_names_hold() -> None:
    for capability in CAPABILITIES.values():
        assert set(capability.keys) <= set(CONFIG_KEYS)
    assert CAPABILITIES["monitoring"].keys is MONITORING_KEYS
    assert CAPABILITIES["storage"].keys is STORAGE_KEYS


def test_a_capability_plugs_in_by_declaring_and_its_validators_run_only_when_needed() -> None:
    calls.clear()
    archive = Capability(
        keys={"archiveDays": as_int},
        defaults={"archiveDays": 30},
        validators=f"{__name__}:archive_problems",
        turned_on=lambda decoded: decoded.get("archive") is True,
    )

    assert archive.problems({"archiveDays": 30}) == []  # its default: nothing to check
    assert archive.problems({}) == []
    assert archive.problems({"archiveDays": 7, "archive": True}) == []  # on: its settings check
    assert calls == []
    assert archive.problems({"archiveDays": 7, "logFormat": ("version",)}) == [
        "archiveDays: 7 is too short."
    ]
    # Only its own keys reach its validators.
    assert calls == [{"archiveDays": 7}]


calls: list[Mapping[str, object]] = []


def archive_problems(decoded: Mapping[str, object]) -> list[str]:
    """A stand-in capability's validators, recording what they are given."""
    calls.append(dict(decoded))
    return [f"archiveDays: {decoded['archiveDays']} is too short."]
