"""``telemetry-rule``: the organisation's telemetry rule exists with the stack's settings. moto
does not emulate CloudWatch observability admin, so its answers come from botocore's Stubber."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.stub import Stubber

from tests.support.verify_accounts import organization_rule_arn, prod_format, stack_project
from tests.verify.stubs import telemetry_rule_answer
from verify.aws import Aws
from verify.expected import DEFAULT_LOG_FORMAT, Expected, load_expected
from verify.results import Check, Severity
from verify.telemetry_rule import check_telemetry_rule

CHANGED = ": it was changed outside the stack; run `./up.sh org` to set it back (an updated rule "
CHANGED += "applies only to VPCs created afterwards)."


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Expected:
    """What prod with ``organizationWide`` expects, read as ./verify.sh reads it."""
    project = stack_project(
        tmp_path_factory.mktemp("telemetry") / "project", "org", "prod", organizationWide=True
    )
    return load_expected(project, "org")


def answering(*answers: tuple[str, dict[str, Any] | str, dict[str, Any]]) -> Aws:
    """An Aws whose observability admin answers ``answers`` (a string: that error code)."""
    telemetry = boto3.client("observabilityadmin", region_name="us-east-1",
                             aws_access_key_id="x", aws_secret_access_key="x")  # fmt: skip
    stubber = Stubber(telemetry)
    for operation, response, params in answers:
        if isinstance(response, str):
            stubber.add_client_error(operation, response, expected_params=params)
        else:
            stubber.add_response(operation, response, params)
    stubber.activate()

    def only_telemetry(service: str, _: BaseClient) -> BaseClient:
        assert service == "observabilityadmin"
        return telemetry

    return Aws(boto3.Session(region_name="us-east-1"), on_client=only_telemetry)


def check(expected: Expected, answer: tuple[str, dict[str, Any], dict[str, Any]]) -> list[Check]:
    return check_telemetry_rule(answering(answer), "us-east-1", organization_rule_arn(), expected)


def test_the_expected_rule_is_the_stacks_own_settings(expected: Expected) -> None:
    assert (
        expected.organization_destination_pattern
        == "/aws/vpc/flowlogs-prod/<accountId>/<resourceId>"
    )
    assert (expected.traffic_type, expected.aggregation_interval) == ("ALL", 60)
    assert (expected.retention_in_days, expected.log_format) == (365, prod_format())


def test_a_rule_with_the_stacks_settings_passes(expected: Expected) -> None:
    assert check(expected, telemetry_rule_answer()) == [
        Check(
            "telemetry-rule",
            "us-east-1",
            organization_rule_arn(),
            True,
            "vpc-flow-logs: flow logs on every VPC of the organisation in all regions, as the "
            "stack says",
        )
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"RetentionInDays": 30}, "RetentionInDays is 30, but the stack says 365"),
        ({"TrafficType": "REJECT"}, "TrafficType is 'REJECT', but the stack says 'ALL'"),
        ({"MaxAggregationInterval": 600}, "MaxAggregationInterval is 600, but the stack says 60"),
        ({"AllRegions": False}, "AllRegions is False, but the stack says True"),
        (
            {"DestinationPattern": "/other/<resourceId>"},
            "DestinationPattern is '/other/<resourceId>', but the stack says "
            "'/aws/vpc/flowlogs-prod/<accountId>/<resourceId>'",
        ),
        ({"DestinationType": "s3"},
         "DestinationType is 's3', but the stack says 'cloud-watch-logs'"),
        ({"ResourceType": "AWS::EC2::Subnet"},
         "ResourceType is 'AWS::EC2::Subnet', but the stack says 'AWS::EC2::VPC'"),
    ],
)  # fmt: skip
def test_a_rule_changed_outside_the_stack_fails_naming_both_values(
    expected: Expected, change: dict[str, Any], problem: str
) -> None:
    (row,) = check(expected, telemetry_rule_answer(**change))

    assert (row.ok, row.severity, row.detail) == (False, Severity.ERROR, problem + CHANGED)


def test_a_rule_without_a_format_records_awss_default_one(expected: Expected) -> None:
    answer = telemetry_rule_answer()
    del answer[1]["TelemetryRule"]["DestinationConfiguration"]["VPCFlowLogParameters"]["LogFormat"]

    (row,) = check(expected, answer)

    assert not row.ok
    assert (
        row.detail
        == f"LogFormat is {DEFAULT_LOG_FORMAT!r}, but the stack says {prod_format()!r}" + CHANGED
    )


def test_a_missing_rule_fails(expected: Expected) -> None:
    missing = (
        "get_telemetry_rule_for_organization",
        "ResourceNotFoundException",
        {"RuleIdentifier": organization_rule_arn()},
    )
    (row,) = check_telemetry_rule(
        answering(missing), "us-east-1", organization_rule_arn(), expected
    )

    assert (row.ok, row.severity) == (False, Severity.ERROR)
    assert row.detail.startswith("the organisation's telemetry rule does not exist")


def test_a_region_the_rule_did_not_reach_is_a_warning(expected: Expected) -> None:
    answer = telemetry_rule_answer()
    answer[1]["RegionStatuses"] = [
        {"Region": "us-west-2", "Status": "ACTIVE"},
        {"Region": "eu-west-1", "Status": "FAILED", "FailureReason": "trusted access disabled"},
    ]

    ok, warning = check(expected, answer)

    assert ok.ok
    assert (warning.ok, warning.severity) == (False, Severity.WARNING)
    assert warning.detail.startswith(
        "the rule did not reach every region (eu-west-1: trusted access disabled)"
    )
