"""MonitoringSettings: defaults, every refusal's exact message, config decoding and warnings."""

from __future__ import annotations

import math
import re
from typing import Any

import pulumi
import pytest
import yaml

from components.capabilities import MONITORING_KEYS
from components.config import SettingsError
from components.flow_logs.log_format import DEFAULT_FIELDS
from components.monitoring.receivers import NO_RECEIVER
from components.monitoring.settings import MonitoringSettings, monitoring_from_config
from components.settings import parse_settings
from tests.support.flow_records import PROD_FORMAT, fifteen_character_addresses
from tests.support.program import PROJECT_DIR

RECEIVER: dict[str, Any] = {"alarm_emails": ["soc@example.com"]}
"""Someone for the component's alarms to notify."""


def refused(message: str, **values: Any) -> None:
    with pytest.raises(SettingsError, match=f"^{re.escape(message)}$"):
        MonitoringSettings(**values)


def test_defaults_are_the_issues() -> None:
    settings = MonitoringSettings()
    assert (
        settings.rejected_threshold,
        settings.admin_port_threshold,
        settings.egress_anomaly_band,
        settings.delivery_stopped_minutes,
    ) == (1000, 10, 3, 30)
    assert settings.alarm_emails == ()
    assert settings.alarm_topic_arn is None
    assert settings.known_bad_addresses == ()
    assert settings.fields == DEFAULT_FIELDS


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("rejected_threshold", "rejectedThreshold"),
        ("admin_port_threshold", "adminPortThreshold"),
        ("egress_anomaly_band", "egressAnomalyBand"),
        ("delivery_stopped_minutes", "deliveryStoppedMinutes"),
    ],
)
def test_a_negative_threshold_band_or_minutes_is_refused(field: str, key: str) -> None:
    refused(f"{key}: -1 is negative; use a positive number, or 0 to turn off.", **{field: -1})


@pytest.mark.parametrize(
    "field",
    [
        "rejected_threshold",
        "admin_port_threshold",
        "egress_anomaly_band",
        "delivery_stopped_minutes",
    ],
)
def test_zero_turns_an_alarm_off_and_is_allowed(field: str) -> None:
    values: dict[str, Any] = {field: 0}
    assert getattr(MonitoringSettings(**values), field) == 0


def test_more_than_a_day_of_minutes_is_refused() -> None:
    refused(
        "deliveryStoppedMinutes: 1441 is more than a day; CloudWatch evaluates at most 1440 "
        "one-minute periods. Use 1 to 1440, or 0 to turn off.",
        delivery_stopped_minutes=1441,
    )


@pytest.mark.parametrize("email", ["security", "a@b", "two@@example.com", "sp ace@example.com"])
def test_a_malformed_email_is_refused(email: str) -> None:
    refused(
        f"alarmEmails: {email!r} is not an email address; use name@example.com.",
        alarm_emails=[email],
    )


def test_an_email_listed_twice_is_refused() -> None:
    refused(
        "alarmEmails: 'SOC@example.com' appears more than once; list each once.",
        alarm_emails=["soc@example.com", "SOC@example.com"],
    )


@pytest.mark.parametrize(
    "args",
    [{}, {"log_group_name": ""}, {"log_group_name": None, "s3_bucket_name": ""}],
)
def test_from_args_needs_a_log_group_or_a_bucket(args: dict[str, Any]) -> None:
    message = (
        "logGroupName and s3BucketName are both empty; give the flow-log group to watch, the "
        "bucket the flow logs deliver to, or both."
    )
    with pytest.raises(SettingsError, match=f"^{re.escape(message)}$"):
        MonitoringSettings.from_args({**RECEIVER, **args})
    for watched in ({"log_group_name": "g"}, {"s3_bucket_name": "b"}):
        MonitoringSettings.from_args({**RECEIVER, **args, **watched})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"log_group_name": "g", "s3_prefix": "flow-logs"},
            "s3Prefix: 'flow-logs' is given without s3BucketName; give the bucket it is in.",
        ),
        (
            {"s3_bucket_name": "b", "s3_prefix": "AWSLogs"},
            "s3Prefix: 'AWSLogs' starts with 'AWSLogs', which AWS reserves for the folders it "
            "writes under your prefix; choose another name, such as 'flow-logs'.",
        ),
    ],
)
def test_from_args_refuses_a_prefix_without_its_bucket_or_one_aws_reserves(
    args: dict[str, Any], message: str
) -> None:
    with pytest.raises(SettingsError, match=f"^{re.escape(message)}$"):
        MonitoringSettings.from_args({**RECEIVER, **args})


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:sqs:us-east-1:123456789012:queue",
        "arn:aws:sns:us-east-1:12345:alarms",
        "alarms",
        "arn:aws:sns:us-east-1:123456789012:alarms:extra",
    ],
)
def test_an_arn_that_is_not_an_sns_topic_is_refused(arn: str) -> None:
    refused(
        f"alarmTopicArn: {arn!r} is not an SNS topic ARN; expected "
        "arn:<partition>:sns:<region>:<account>:<topic name>.",
        alarm_topic_arn=arn,
    )


def test_topic_arns_of_every_partition_are_accepted() -> None:
    for arn in (
        "arn:aws:sns:us-east-1:123456789012:alarms",
        "arn:aws-us-gov:sns:us-gov-west-1:123456789012:sec_alarms-1",
        "arn:aws-cn:sns:cn-north-1:123456789012:alarms",
    ):
        assert MonitoringSettings(alarm_topic_arn=arn).alarm_topic_arn == arn


def test_a_topic_and_emails_are_mutually_exclusive() -> None:
    refused(
        "alarmTopicArn and alarmEmails are mutually exclusive: subscribe the addresses to your "
        "own topic (alarmTopicArn), or let the stack create a topic for them (alarmEmails), not "
        "both.",
        alarm_topic_arn="arn:aws:sns:us-east-1:123456789012:alarms",
        alarm_emails=["soc@example.com"],
    )


def test_a_cidr_with_host_bits_set_is_refused_with_the_block_meant() -> None:
    refused(
        "knownBadAddresses: '10.1.2.3/16' has host bits set; did you mean '10.1.0.0/16'?",
        known_bad_addresses=["10.1.2.3/16"],
    )


@pytest.mark.parametrize(
    "entry", ["2001:db8::1", "2001:db8::/32", "10.0.0.256", "10.0.0.0/33", "evil.example.com", ""]
)
def test_an_entry_that_is_not_ipv4_is_refused(entry: str) -> None:
    refused(
        f"knownBadAddresses: {entry!r} is not an IPv4 address or CIDR block; use a.b.c.d or "
        "a.b.c.d/n (IPv6 is not supported).",
        known_bad_addresses=[entry],
    )


def test_a_known_bad_list_too_long_to_fit_says_how_many_entries_fit() -> None:
    entries = fifteen_character_addresses(4000)
    # Worked out by hand: prod's 23 one-letter names take 47 characters; the address slot's
    # name becomes `d=A||d=A...`, 17 characters for the first 15-character address and 19 for
    # each further one, so (1024 - 47 + 1 + 2) // 19 = 51 addresses per pattern. 4000 need 79
    # patterns per address field, 158 filters; 96 are left beside the 4 others: 48 per field.
    per_pattern = (1024 - 47 + 1 + 2) // 19
    assert per_pattern == 51
    needed = 2 * math.ceil(4000 / per_pattern)
    refused(
        f"knownBadAddresses: 4000 entries need {needed} metric filters of at most 1,024 "
        "characters, but only 96 are left beside the 4 other filters (CloudWatch allows 100 per "
        f"log group); the first {48 * per_pattern} entries fit. Shorten the list, merge "
        "addresses into CIDR blocks, or use GuardDuty for threat intelligence.",
        known_bad_addresses=entries,
        log_format=PROD_FORMAT,
    )


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as error:
        MonitoringSettings(rejected_threshold=-5, alarm_emails=["x"], known_bad_addresses=["y"])
    assert str(error.value).split("\n") == [
        "rejectedThreshold: -5 is negative; use a positive number, or 0 to turn off.",
        "alarmEmails: 'x' is not an email address; use name@example.com.",
        "knownBadAddresses: 'y' is not an IPv4 address or CIDR block; use a.b.c.d or a.b.c.d/n "
        "(IPv6 is not supported).",
    ]


def test_the_flow_logs_own_rules_apply_to_the_format_and_tags() -> None:
    refused(
        "logFormat: 'srcadr' is not a VPC flow-log field; did you mean 'srcaddr'?",
        log_format=["srcadr"],
    )
    refused(
        "tags: key 'aws:owner' is not allowed; a tag key is 1 to 128 characters and must not "
        "start with 'aws:'.",
        tags={"aws:owner": "x"},
    )


def test_a_bad_namespace_or_dashboard_name_is_refused() -> None:
    refused(
        "metricNamespace: 'AWS/Flow' is not a CloudWatch namespace; use 1 to 255 characters "
        "without : * or $, not starting with 'AWS/'.",
        metric_namespace="AWS/Flow",
    )
    refused(
        "dashboardName: 'flow logs' is not a dashboard name; use 1 to 255 letters, digits, - "
        "and _.",
        dashboard_name="flow logs",
    )


# The component's args and the stack's config.


def test_from_args_accepts_the_whole_numbers_the_provider_protocol_sends_as_floats() -> None:
    settings = MonitoringSettings.from_args(
        {"log_group_name": "/aws/vpc/flowlogs", **RECEIVER, "rejected_threshold": 50.0}
    )
    assert settings.rejected_threshold == 50
    assert isinstance(settings.rejected_threshold, int)


def test_from_args_refuses_a_fraction() -> None:
    with pytest.raises(
        SettingsError, match=re.escape("rejectedThreshold: 2.5 is not a whole number.")
    ):
        MonitoringSettings.from_args(
            {"log_group_name": "g", "alarm_emails": ["soc@example.com"], "rejected_threshold": 2.5}
        )


def test_from_args_refuses_emails_beside_a_topic_from_another_resource() -> None:
    with pytest.raises(
        SettingsError, match=re.escape("alarmTopicArn and alarmEmails are mutually exclusive")
    ):
        MonitoringSettings.from_args(
            {
                "log_group_name": "g",
                "alarm_topic_arn": pulumi.Output.from_input("arn"),
                "alarm_emails": ["soc@example.com"],
            }
        )


def test_alarms_off_means_no_monitoring_but_its_keys_are_still_checked() -> None:
    # The stack checks them (components.settings.MONITORING); the settings build nothing.
    assert monitoring_from_config({"alarms": False, "rejectedThreshold": -1}) == (None, [])
    assert parse_settings({"rejectedThreshold": "5"}).monitoring is None
    with pytest.raises(SettingsError) as refused:
        parse_settings({"rejectedThreshold": "-1"})
    assert str(refused.value) == (
        "rejectedThreshold: -1 is negative; use a positive number, or 0 to turn off."
    )


def test_config_strings_are_decoded_and_the_flow_logs_format_and_tags_are_shared() -> None:
    settings = parse_settings(
        {
            "alarms": "true",
            "alarmEmails": '["soc@example.com"]',
            "alarmTopicArn": "",
            "rejectedThreshold": "500",
            "knownBadAddresses": '["203.0.113.0/24"]',
            "logFormat": '["srcaddr", "dstaddr", "action"]',
            "tags": '{"owner": "soc"}',
        }
    ).monitoring
    assert settings == MonitoringSettings(
        alarm_emails=("soc@example.com",),
        rejected_threshold=500,
        known_bad_addresses=("203.0.113.0/24",),
        log_format=("srcaddr", "dstaddr", "action"),
        tags={"owner": "soc"},
    )


def test_config_problems_are_reported_with_the_others() -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings({"alarms": "true", "adminPortThreshold": "-2", "retentionInDays": "10"})
    lines = str(error.value).split("\n")
    assert "adminPortThreshold: -2 is negative; use a positive number, or 0 to turn off." in lines
    assert NO_RECEIVER in lines
    assert any(line.startswith("retentionInDays: 10") for line in lines)


NO_RECEIVER_MESSAGE = (
    "alarmEmails and alarmTopicArn are both empty: an alarm that notifies nobody is not "
    "monitoring. Set alarmEmails (addresses subscribed to a topic the stack creates) or "
    "alarmTopicArn (an existing SNS topic)."
)


@pytest.mark.parametrize(
    "config",
    [
        {"alarms": "true"},
        # Pulumi.yaml's defaults: empty means unset.
        {"alarms": "true", "alarmEmails": "[]", "alarmTopicArn": ""},
    ],
)
def test_alarms_that_notify_nobody_are_refused(config: dict[str, str]) -> None:
    assert NO_RECEIVER == NO_RECEIVER_MESSAGE
    with pytest.raises(SettingsError, match=f"^{re.escape(NO_RECEIVER_MESSAGE)}$"):
        parse_settings(config)
    assert monitoring_from_config({"alarms": True}) == (None, [NO_RECEIVER_MESSAGE])


@pytest.mark.parametrize(
    "receiver",
    [
        {"alarmEmails": '["soc@example.com"]'},
        {"alarmTopicArn": "arn:aws:sns:us-east-1:123456789012:soc-alarms"},
    ],
)
def test_either_receiver_is_enough(receiver: dict[str, str]) -> None:
    assert parse_settings({"alarms": "true", **receiver}).monitoring is not None


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"alarm_emails": [], "alarm_topic_arn": ""},
    ],
)
def test_the_component_refuses_notifying_nobody_with_the_same_message(
    args: dict[str, Any],
) -> None:
    with pytest.raises(SettingsError, match=f"^{re.escape(NO_RECEIVER_MESSAGE)}$"):
        MonitoringSettings.from_args({"log_group_name": "g", **args})


def test_a_topic_from_another_resource_is_a_receiver() -> None:
    topic = pulumi.Output.from_input("arn:aws:sns:us-east-1:123456789012:soc-alarms")
    settings = MonitoringSettings.from_args({"log_group_name": "g", "alarm_topic_arn": topic})
    assert settings.alarm_topic_arn is None  # left to the component: it is not known yet


def test_pulumi_yamls_declared_defaults_are_the_settings_defaults() -> None:
    declared = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["config"]
    defaults = {key: d["default"] for key, d in declared.items()}
    assert defaults["alarms"] is False
    receiver = {"alarmEmails": ["soc@example.com"]}
    assert parse_settings({**defaults, "alarms": True, **receiver}).monitoring == (
        MonitoringSettings(alarm_emails=("soc@example.com",))
    )


def test_the_configuration_page_documents_every_monitoring_key() -> None:
    readme = (PROJECT_DIR / "docs" / "configuration.md").read_text()
    for key in MONITORING_KEYS:
        assert f"| `{key}` |" in readme, key
