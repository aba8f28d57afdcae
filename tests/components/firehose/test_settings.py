"""Firehose's settings: every bad value, and every bad combination, refused with its exact message
before anything is registered."""

from __future__ import annotations

import pytest

from components.config import SettingsError
from components.firehose.settings import (
    FirehoseSettings,
    coverage_problems,
    delivery_problems,
    parse_stream_arn,
)
from components.settings import parse_settings

HOME = "123456789012"
OTHER = "222222222222"
STREAM = f"arn:aws:firehose:us-east-1:{HOME}:deliverystream/siem"
OTHER_STREAM = f"arn:aws:firehose:us-east-1:{OTHER}:deliverystream/siem"
ROLE = f"arn:aws:iam::{OTHER}:role/AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs"


def test_the_keys_decode_into_firehose_settings() -> None:
    settings = parse_settings(
        {
            "firehoseArns": f'{{"us-east-1": "{OTHER_STREAM}"}}',
            "firehoseCrossAccountRoleArn": ROLE,
            "firehoseSourceAccounts": '["333333333333"]',
        }
    )

    assert settings.firehose == FirehoseSettings(
        {"us-east-1": OTHER_STREAM}, ROLE, ("333333333333",)
    )


def test_no_firehose_key_means_no_firehose() -> None:
    assert parse_settings({}).firehose is None


def test_a_stream_is_one_more_flow_log_per_target_and_replacements_go_delete_first() -> None:
    cloudwatch = parse_settings({})
    firehose = parse_settings({"firehoseArns": {"us-east-1": STREAM}})
    all_three = parse_settings({"destination": "both", "firehoseArns": {"us-east-1": STREAM}})
    destination_role_only = parse_settings({"firehoseSourceAccounts": ["333333333333"]})

    assert (cloudwatch.flow_logs_per_target, cloudwatch.delete_before_replace) == (1, False)
    assert (firehose.flow_logs_per_target, firehose.delete_before_replace) == (2, True)
    assert (all_three.flow_logs_per_target, all_three.delete_before_replace) == (3, True)
    assert destination_role_only.flow_logs_per_target == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"firehoseArns": {"us-east-1": "arn:aws:kinesis:us-east-1:123456789012:stream/siem"}},
            "firehoseArns: 'us-east-1': 'arn:aws:kinesis:us-east-1:123456789012:stream/siem' is "
            "not an Amazon Data Firehose delivery stream's ARN; expected "
            "arn:<partition>:firehose:<region>:<account id>:deliverystream/<name>.",
        ),
        (
            {"firehoseArns": {"us-east-1": STREAM.replace("us-east-1", "eu-west-1")}},
            f"firehoseArns: 'us-east-1': {STREAM.replace('us-east-1', 'eu-west-1')!r} is a stream "
            "in eu-west-1, but a flow log delivers only to a stream in its own region; give a "
            "stream in us-east-1, or key this one by 'eu-west-1'.",
        ),
        (
            {"firehoseArns": {"mars-1": STREAM}},
            "firehoseArns: 'mars-1' is not an AWS region name; use names such as 'us-east-1' or "
            "'eu-west-2'.",
        ),
        (
            {"firehoseArns": {"us-east-1": OTHER_STREAM}, "firehoseCrossAccountRoleArn": "x"},
            "firehoseCrossAccountRoleArn: 'x' is not an IAM role's ARN; expected "
            "arn:<partition>:iam::<account id>:role/AWSLogDeliveryFirehoseCrossAccountRole"
            "<suffix>.",
        ),
        (
            {
                "firehoseArns": {"us-east-1": OTHER_STREAM},
                "firehoseCrossAccountRoleArn": f"arn:aws:iam::{OTHER}:role/siem-delivery",
            },
            f"firehoseCrossAccountRoleArn: 'arn:aws:iam::{OTHER}:role/siem-delivery' names role "
            "'siem-delivery'; AWS delivers across accounts only through a role whose name starts "
            "with AWSLogDeliveryFirehoseCrossAccountRole, such as "
            "AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs.",
        ),
        (
            {"firehoseCrossAccountRoleArn": ROLE},
            f"firehoseCrossAccountRoleArn: {ROLE!r} is set, but firehoseArns is empty; give the "
            "streams to deliver to, or leave firehoseCrossAccountRoleArn empty.",
        ),
        (
            {"firehoseSourceAccounts": ["12345"]},
            "firehoseSourceAccounts: '12345' is not an AWS account id; use 12 digits.",
        ),
        (
            {"firehoseSourceAccounts": [OTHER, OTHER]},
            f"firehoseSourceAccounts: '{OTHER}' appears more than once; list each account once.",
        ),
    ],
)
def test_bad_firehose_settings_are_refused_naming_key_value_and_rule(
    raw: dict[str, object], message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings(raw)

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("streams", "role", "message"),
    [
        (
            {"us-east-1": OTHER_STREAM},
            None,
            f"firehoseCrossAccountRoleArn: is empty, but firehoseArns 'us-east-1' names a stream "
            f"in account {OTHER}, not this stack's account {HOME}; set "
            "firehoseCrossAccountRoleArn to the role AWSLogDeliveryFirehoseCrossAccountRole-"
            f"vpc-flow-logs that a stack with firehoseSourceAccounts: [{HOME}] creates in account "
            f"{OTHER}.",
        ),
        (
            {"us-east-1": STREAM},
            ROLE,
            f"firehoseCrossAccountRoleArn: {ROLE!r} is set, but every stream in firehoseArns is "
            f"in this stack's account {HOME}, where AWS delivers without a role; leave "
            "firehoseCrossAccountRoleArn empty.",
        ),
        (
            {"us-east-1": OTHER_STREAM.replace(OTHER, "444444444444")},
            ROLE,
            "firehoseArns: 'us-east-1' names a stream in account 444444444444, but "
            f"firehoseCrossAccountRoleArn {ROLE!r} is in account {OTHER}; the role must be in the "
            "stream's account, so every cross-account stream must be in that one account.",
        ),
    ],
)
def test_the_providers_account_decides_which_streams_need_the_role(
    streams: dict[str, str], role: str | None, message: str
) -> None:
    assert delivery_problems(streams, role, HOME) == [message]


@pytest.mark.parametrize(
    ("streams", "role"), [({"us-east-1": STREAM}, None), ({"us-east-1": OTHER_STREAM}, ROLE)]
)
def test_a_stream_at_home_needs_no_role_and_one_abroad_its_accounts_role(
    streams: dict[str, str], role: str | None
) -> None:
    assert delivery_problems(streams, role, HOME) == []


def test_a_key_must_be_a_covered_region() -> None:
    assert coverage_problems({"us-west-2": STREAM}, ["us-east-1"]) == [
        "firehoseArns: 'us-west-2' is not a region this stack covers (us-east-1); add it to "
        "regions, or remove its stream."
    ]
    assert coverage_problems({"us-east-1": STREAM}, ["us-east-1", "us-west-2"]) == []


def test_a_stream_arn_is_read_in_any_partition() -> None:
    stream = parse_stream_arn("arn:aws-cn:firehose:cn-north-1:210987654321:deliverystream/a.b_c")

    assert stream is not None
    assert (stream.partition, stream.region, stream.account_id, stream.name) == (
        "aws-cn",
        "cn-north-1",
        "210987654321",
        "a.b_c",
    )
    assert parse_stream_arn(STREAM + "/more") is None
