"""Settings: decoding config values, and every message for bad input."""

from __future__ import annotations

import pulumi
import pytest

from components.config import SettingsError
from components.flow_logs.settings import RETENTION_DAYS, FlowLogOptions, TrafficType
from components.flow_logs.targets import FlowLogTargets
from components.flow_logs.vpc_lookup import AllVpcs, DefaultVpc, NoVpcs, VpcIds, VpcName
from components.settings import (
    FLOW_LOGS_PER_TARGET_LIMIT,
    parse_settings,
)

RETENTIONS = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"  # noqa: E501


def test_nothing_set_means_the_secure_defaults_on_the_default_vpc() -> None:
    settings = parse_settings({})

    assert settings.selection == DefaultVpc()
    assert settings.options == FlowLogOptions(
        traffic_type=TrafficType.ALL,
        max_aggregation_interval=60,
        log_group_name="/aws/vpc/flowlogs",
        retention_in_days=365,
        log_format=(),
        kms_key_arn=None,
        encrypt_logs=False,
        flow_log_name="ASG-VPC-FlowLogs",
        tags={},
        protect_logs=False,
    )


def test_values_arrive_as_the_cli_passes_them() -> None:
    settings = parse_settings(
        {
            "vpcIds": '["vpc-0a1b2c3d", "vpc-0a1b2c3d4e5f60718"]',
            "trafficType": "REJECT",
            "maxAggregationInterval": "600",
            "logGroupName": "/org/vpc#flow_logs.v2",
            "retentionInDays": "3653",
            "logFormat": '["version", "srcaddr", "reject-reason"]',
            "kmsKeyArn": "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/"
            "mrk-0123456789abcdef0123456789abcdef",
            "flowLogName": "prod-flow-logs",
            "tags": '{"team": "netsec"}',
            "protectLogs": "true",
        }
    )

    assert settings.selection == VpcIds(("vpc-0a1b2c3d", "vpc-0a1b2c3d4e5f60718"))
    options = settings.options
    assert options.traffic_type is TrafficType.REJECT
    assert options.max_aggregation_interval == 600
    assert options.log_group_name == "/org/vpc#flow_logs.v2"
    assert options.retention_in_days == 3653
    assert options.log_format == ("version", "srcaddr", "reject-reason")
    assert options.kms_key_arn == (
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"
    )
    assert options.flow_log_name == "prod-flow-logs"
    assert options.tags == {"team": "netsec"}
    assert options.protect_logs is True


@pytest.mark.parametrize(
    ("raw", "selection"),
    [
        ({"vpcName": "ASG-VPC"}, VpcName("ASG-VPC")),
        ({"allVpcs": "true"}, AllVpcs()),
        # Empty values are Pulumi.yaml's defaults and mean "not set".
        ({"vpcIds": "[]", "vpcName": "", "allVpcs": "false"}, DefaultVpc()),
        ({"vpcName": "ASG-VPC", "vpcIds": "[]", "allVpcs": "false"}, VpcName("ASG-VPC")),
        # Another target alone logs no VPC; the default VPC is only for an empty selection.
        ({"subnetIds": '["subnet-0a1b2c3d"]'}, NoVpcs()),
        ({"transitGatewayIds": '["tgw-0a1b2c3d"]', "subnetIds": "[]"}, NoVpcs()),
        ({"subnetIds": "[]", "eniIds": "[]"}, DefaultVpc()),
        ({"eniIds": '["eni-0a1b2c3d"]', "allVpcs": "true"}, AllVpcs()),
    ],
)
def test_selection(raw: dict[str, str], selection: object) -> None:
    assert parse_settings(raw).selection == selection


def test_other_targets_are_read_by_kind() -> None:
    settings = parse_settings(
        {
            "subnetIds": '["subnet-0a1b2c3d"]',
            "eniIds": '["eni-0123456789abcdef0"]',
            "transitGatewayIds": '["tgw-0a1b2c3d"]',
            "transitGatewayAttachmentIds": '["tgw-attach-0a1b2c3d"]',
        }
    )

    assert settings.targets == FlowLogTargets(
        subnet_ids=("subnet-0a1b2c3d",),
        eni_ids=("eni-0123456789abcdef0",),
        transit_gateway_ids=("tgw-0a1b2c3d",),
        transit_gateway_attachment_ids=("tgw-attach-0a1b2c3d",),
    )


@pytest.mark.parametrize("days", RETENTION_DAYS)
def test_every_cloudwatch_retention_is_accepted(days: int) -> None:
    assert parse_settings({"retentionInDays": str(days)}).options.retention_in_days == days


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"trafficType": "BOGUS"},
            "trafficType: 'BOGUS' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        ),
        (
            {"subnetIds": '["subnet-xyz"]'},
            "subnetIds: 'subnet-xyz' is not a subnet id; expected 'subnet-' followed by 8 or 17 "
            "lowercase hex digits.",
        ),
        (
            {"eniIds": '["eni-0a1b2c3d", "eni-0a1b2c3d"]'},
            "eniIds: 'eni-0a1b2c3d' appears more than once; list each network interface once.",
        ),
        (
            {"transitGatewayIds": '["tgw-attach-0a1b2c3d"]'},
            "transitGatewayIds: 'tgw-attach-0a1b2c3d' is not a transit gateway id; expected "
            "'tgw-' followed by 8 or 17 lowercase hex digits.",
        ),
        (
            {"transitGatewayAttachmentIds": '["tgw-0a1b2c3d"]'},
            "transitGatewayAttachmentIds: 'tgw-0a1b2c3d' is not a transit gateway attachment id; "
            "expected 'tgw-attach-' followed by 8 or 17 lowercase hex digits.",
        ),
        (
            {"trafficType": "all"},
            "trafficType: 'all' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        ),
        (
            {"maxAggregationInterval": "300"},
            "maxAggregationInterval: 300 is not allowed; use 60 or 600 (seconds).",
        ),
        (
            {"retentionInDays": "10"},
            f"retentionInDays: 10 is not a CloudWatch Logs retention; use one of {RETENTIONS}.",
        ),
        (
            {"retentionInDays": "0"},
            "retentionInDays: 0 means never expire, which this project refuses; "
            f"use one of {RETENTIONS}.",
        ),
        (
            {"logGroupName": ""},
            "logGroupName: '' is empty; a log group name is 1 to 512 characters "
            "from A-Z a-z 0-9 . - _ / #.",
        ),
        (
            {"logGroupName": "/aws/vpc flow:logs"},
            "logGroupName: '/aws/vpc flow:logs' has characters CloudWatch Logs refuses "
            "(' ' ':'); a log group name is 1 to 512 characters from A-Z a-z 0-9 . - _ / #.",
        ),
        (
            {"logGroupName": "x" * 513},
            f"logGroupName: '{'x' * 513}' is 513 characters; the limit is 512.",
        ),
        (
            {"logGroupName": "aws/vpc/flowlogs"},
            "logGroupName: 'aws/vpc/flowlogs' starts with 'aws/', which AWS reserves; "
            "use a name such as '/aws/vpc/flowlogs'.",
        ),
        (
            {"logFormat": '["srcadr"]'},
            "logFormat: 'srcadr' is not a VPC flow-log field; did you mean 'srcaddr'?",
        ),
        (
            # A version 6 field: transit gateways only.
            {"logFormat": '["tgw-id"]'},
            "logFormat: 'tgw-id' is not a VPC flow-log field; "
            "see docs/configuration.md#log-format-fields for the fields.",
        ),
        (
            {"logFormat": '["srcaddr", "dstaddr", "srcaddr"]'},
            "logFormat: 'srcaddr' appears more than once; list each field once.",
        ),
        (
            {"logFormat": '["srcaddr", " "]'},
            "logFormat: field 2 is empty; name a flow-log field.",
        ),
        (
            {"vpcIds": '["vpc-0a1b2c3d"]', "vpcName": "ASG-VPC"},
            "vpcIds, vpcName and allVpcs are mutually exclusive, but vpcIds and vpcName are "
            "both set; set at most one (none means the region's default VPC).",
        ),
        (
            {"vpcName": "ASG-VPC", "allVpcs": "true"},
            "vpcIds, vpcName and allVpcs are mutually exclusive, but vpcName and allVpcs are "
            "both set; set at most one (none means the region's default VPC).",
        ),
        (
            {"vpcIds": '["vpc-0a1b2c3d"]', "vpcName": "ASG-VPC", "allVpcs": "true"},
            "vpcIds, vpcName and allVpcs are mutually exclusive, but vpcIds and vpcName and "
            "allVpcs are all set; set at most one (none means the region's default VPC).",
        ),
        (
            {"vpcIds": '["vpc-12"]'},
            "vpcIds: 'vpc-12' is not a VPC id; "
            "expected 'vpc-' followed by 8 or 17 lowercase hex digits.",
        ),
        (
            {"vpcIds": '["subnet-0a1b2c3d"]'},
            "vpcIds: 'subnet-0a1b2c3d' is not a VPC id; "
            "expected 'vpc-' followed by 8 or 17 lowercase hex digits.",
        ),
        (
            {"vpcIds": '["vpc-0a1b2c3d", "vpc-0a1b2c3d"]'},
            "vpcIds: 'vpc-0a1b2c3d' appears more than once; list each VPC once.",
        ),
        (
            {"kmsKeyArn": "alias/flow-logs"},
            "kmsKeyArn: 'alias/flow-logs' is not a KMS key ARN; expected "
            "arn:<partition>:kms:<region>:<account>:key/<key-id> (an alias is not accepted).",
        ),
        (
            {"kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:alias/flow-logs"},
            "kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/flow-logs' is not a KMS key "
            "ARN; expected arn:<partition>:kms:<region>:<account>:key/<key-id> "
            "(an alias is not accepted).",
        ),
        (
            {
                "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/"
                "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                "encryptLogs": "true",
            },
            "kmsKeyArn and encryptLogs are mutually exclusive: use an existing key "
            "(kmsKeyArn) or let the stack create one (encryptLogs: true), not both.",
        ),
        (
            {"flowLogName": ""},
            "flowLogName: '' is not a valid Name tag; use 1 to 256 characters.",
        ),
        (
            {"tags": '{"aws:cloudformation": "x"}'},
            "tags: key 'aws:cloudformation' is not allowed; a tag key is 1 to 128 characters "
            "and must not start with 'aws:'.",
        ),
        (
            {"tags": '{"team": "' + "v" * 257 + '"}'},
            "tags: the value of 'team' is 257 characters; the limit is 256.",
        ),
        (
            {"allVpcs": "yes"},
            "allVpcs: 'yes' is not a boolean; use true or false.",
        ),
        (
            {"retentionInDays": "a year"},
            "retentionInDays: 'a year' is not a whole number.",
        ),
        (
            {"vpcIds": "vpc-0a1b2c3d"},
            "vpcIds: 'vpc-0a1b2c3d' is not a list of strings (it is not valid JSON).",
        ),
        (
            {"vpcIds": "[1, 2]"},
            "vpcIds: [1, 2] is not a list of strings.",
        ),
        (
            {"tags": '["team"]'},
            "tags: ['team'] is not a map of strings.",
        ),
        (
            {"tags": '{"size": 3}'},
            "tags: {'size': 3} is not a map of strings.",
        ),
        (
            {"retentionIndays": "14"},
            "retentionIndays: is not a setting of this program; did you mean retentionInDays?",
        ),
        (
            {"alarm": "true"},
            "alarm: is not a setting of this program; did you mean alarms?",
        ),
        (
            {"VPCIDS": '["vpc-0a1b2c3d"]'},
            "VPCIDS: is not a setting of this program; did you mean vpcIds?",
        ),
        (
            {"colour": "blue"},
            "colour: is not a setting of this program; the settings are "
            "adminPortThreshold, alarmEmails, alarmTopicArn, alarms, allVpcs, archiveAccounts, "
            "archiveMemberRead, archiveOrganization, archiveRegions, archiveStack, athena, "
            "athenaScanLimitGb, bucketArn, centralLogGroupName, centralizeAccounts, "
            "centralizeBackupRegion, centralizeLogs, centralizeRegions, deliveryStoppedMinutes, "
            "destination, egressAnomalyBand, encryptLogs, eniIds, firehoseArns, "
            "firehoseCrossAccountRoleArn, firehoseSourceAccounts, flowLogName, kmsKeyArn, "
            "knownBadAddresses, logFormat, logGroupName, maxAggregationInterval, organizationWide, "
            "protectLogs, "
            "regions, rejectedThreshold, repairDrift, retentionInDays, s3ExpirationDays, "
            "s3FileFormat, s3HivePartitions, s3PerHourPartition, s3Prefix, s3Transitions, "
            "subnetIds, tags, trafficType, transitGatewayAttachmentIds, transitGatewayIds, "
            "vpcIds, vpcName.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_key_value_and_rule(
    raw: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings(raw)

    assert str(error.value) == message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings({"trafficType": "SOME", "maxAggregationInterval": "1"})

    assert str(error.value).split("\n") == [
        "trafficType: 'SOME' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        "maxAggregationInterval: 1 is not allowed; use 60 or 600 (seconds).",
    ]


def test_options_validate_when_built_directly() -> None:
    with pytest.raises(SettingsError, match=r"^retentionInDays: 0 means never expire"):
        FlowLogOptions(retention_in_days=0)


def test_settings_error_prints_without_a_stack_trace() -> None:

    assert issubclass(SettingsError, pulumi.RunError)


def test_an_existing_alarm_topic_serves_one_region_only() -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:security-alarms"

    with pytest.raises(SettingsError) as error:
        parse_settings(
            {
                "alarms": "true",
                "alarmTopicArn": topic,
                "regions": '["us-east-1", "us-west-2"]',
            }
        )

    assert str(error.value) == (
        f"alarmTopicArn: {topic!r} is one topic in one region, but regions covers 2; an alarm "
        "can only notify a topic in its own region, so give a map of region to topic ARN "
        "(us-east-1: arn:..., us-west-2: arn:...), or leave alarmTopicArn empty and let the "
        "stack create a topic in each region (alarmEmails subscribes to every one)."
    )
    # One region, the same topic: fine.
    assert parse_settings({"alarms": "true", "alarmTopicArn": topic}).monitoring is not None


@pytest.mark.parametrize(
    ("destination", "per_target", "delete_first"),
    [("cloudwatch", 1, False), ("s3", 1, False), ("both", 2, True)],
)
def test_flow_logs_are_replaced_delete_first_when_a_target_has_two(
    destination: str, per_target: int, delete_first: bool
) -> None:
    settings = parse_settings({"destination": destination})

    assert settings.flow_logs_per_target == per_target
    assert settings.delete_before_replace is delete_first
    assert FLOW_LOGS_PER_TARGET_LIMIT == 2


@pytest.mark.parametrize("destination", ["s3", "both", "cloudwatch"])
def test_alarms_are_accepted_with_every_destination_s3_alone_too(destination: str) -> None:
    # With s3 alone, the monitoring watches S3 delivery (and warns that the rest is skipped).
    receiver = {"alarmEmails": '["soc@example.com"]'}
    settings = parse_settings({"alarms": "true", **receiver, "destination": destination})
    assert settings.monitoring is not None
