"""The OrganizationFlowLogs component: the evaluation, the rule after it, the rule's fields, and
what it refuses."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pytest

from components import FlowLogOptions, SettingsError, TrafficType
from components.organization.component import (
    COMPONENT_TYPE,
    OrganizationFlowLogs,
    OrganizationFlowLogsArgs,
    organization_args,
)
from offline.mocks import ProgramRun, run_pulumi
from tests.support.program import fake_account

EVALUATION = (
    "aws:observabilityadmin/telemetryEvaluationForOrganization:TelemetryEvaluationForOrganization"
)
RULE = "aws:observabilityadmin/telemetryRuleForOrganization:TelemetryRuleForOrganization"


def build(args: OrganizationFlowLogsArgs | None = None, *, raise_errors: bool = True) -> ProgramRun:
    """Declare one OrganizationFlowLogs component under the mocks."""
    return run_pulumi(
        lambda: OrganizationFlowLogs("org", args if args is not None else {}),
        {},
        fake_account(),
        project="vpc-flow-logs",
        stack="test",
        raise_errors=raise_errors,
    )


def test_creates_the_evaluation_and_then_the_rule_both_parented() -> None:
    run = build()
    parent = run.one(COMPONENT_TYPE)

    assert sorted((r.type, r.name) for r in run.resources) == sorted(
        [(COMPONENT_TYPE, "org"), (EVALUATION, "org-evaluation"), (RULE, "org-rule")]
    )
    assert {r.parent for r in run.resources if r.type != COMPONENT_TYPE} == {parent.urn}
    assert run.one(RULE).dependencies == [run.one(EVALUATION).urn]
    assert run.one(EVALUATION).inputs == {"allRegions": True}


def test_the_rule_logs_every_vpc_in_all_regions_with_the_stacks_settings() -> None:
    run = build(
        OrganizationFlowLogsArgs(
            traffic_type=TrafficType.REJECT,
            max_aggregation_interval=600,
            log_group_name="/org/vpc-flows",
            retention_in_days=731,
            log_format=["version", "srcaddr", "action"],
            tags={"env": "prod"},
        )
    )
    rule = run.one(RULE).inputs

    assert rule["ruleName"] == "vpc-flow-logs"
    assert rule["tags"] == {"env": "prod", "managed-by": "vpc-flow-logs"}
    assert rule["rule"] == {
        "resourceType": "AWS::EC2::VPC",
        "telemetryType": "Logs",
        "telemetrySourceTypes": ["VPC_FLOW_LOGS"],
        "allRegions": True,
        "destinationConfiguration": {
            "destinationType": "cloud-watch-logs",
            "destinationPattern": "/org/vpc-flows/<accountId>/<resourceId>",
            "retentionInDays": 731,
            "vpcFlowLogParameters": {
                "trafficType": "REJECT",
                "maxAggregationInterval": 600,
                "logFormat": "${version} ${srcaddr} ${action}",
            },
        },
    }


def test_defaults_are_all_traffic_every_minute_for_a_year_in_aws_format() -> None:
    parameters = build().one(RULE).inputs["rule"]["destinationConfiguration"]

    assert parameters["destinationPattern"] == "/aws/vpc/flowlogs/<accountId>/<resourceId>"
    assert parameters["retentionInDays"] == 365
    assert parameters["vpcFlowLogParameters"] == {
        "trafficType": "ALL",
        "maxAggregationInterval": 60,
    }


def test_a_home_region_and_rule_name_are_used_as_given() -> None:
    run = build(OrganizationFlowLogsArgs(region="eu-west-1", rule_name="org-vpc-flows"))

    assert run.one(EVALUATION).inputs["region"] == "eu-west-1"
    assert run.one(RULE).inputs["region"] == "eu-west-1"
    assert run.one(RULE).inputs["ruleName"] == "org-vpc-flows"
    assert run.one(RULE).outputs["ruleArn"] == (
        "arn:aws:observabilityadmin:eu-west-1:123456789012:organization-telemetry-rule/"
        "org-vpc-flows"
    )


def test_component_outputs_are_registered() -> None:
    run = build()

    assert run.component_outputs[run.one(COMPONENT_TYPE).urn] == {
        "ruleArn": run.one(RULE).outputs["ruleArn"],
        "destinationPattern": "/aws/vpc/flowlogs/<accountId>/<resourceId>",
    }


def test_organization_args_carry_the_stacks_options() -> None:
    options = FlowLogOptions(
        traffic_type=TrafficType.ACCEPT, log_group_name="/flows", retention_in_days=30
    )

    assert organization_args(options) == {
        "traffic_type": TrafficType.ACCEPT,
        "max_aggregation_interval": 60,
        "log_group_name": "/flows",
        "retention_in_days": 30,
        "log_format": (),
        "tags": {},
    }


def test_whole_numbers_sent_as_floats_are_accepted() -> None:
    floats: Any = {"retention_in_days": 731.0, "max_aggregation_interval": 600.0}
    run = build(floats)
    destination = run.one(RULE).inputs["rule"]["destinationConfiguration"]

    assert destination["retentionInDays"] == 731
    assert destination["vpcFlowLogParameters"]["maxAggregationInterval"] == 600


def test_the_type_token_is_public_and_stable() -> None:
    assert COMPONENT_TYPE == "vpc-flow-logs:index:OrganizationFlowLogs"
    assert issubclass(OrganizationFlowLogs, pulumi.ComponentResource)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"log_group_name": "/flows.v2"},
            "logGroupName: '/flows.v2' has characters an organisation telemetry rule's "
            "destination pattern refuses ('.'); with organizationWide, use only "
            "A-Z a-z 0-9 _ / -.",
        ),
        (
            {"rule_name": "org rule"},
            "ruleName: 'org rule' is not a telemetry rule name; use 1 to 100 characters from "
            "A-Z a-z 0-9 -.",
        ),
        (
            {"retention_in_days": 10},
            "retentionInDays: 10 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14, "
            "30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, "
            "3653.",
        ),
        (
            {"log_format": ["version", "tgw-id"]},
            "logFormat: 'tgw-id' is not a VPC flow-log field; "
            "see docs/configuration.md#log-format-fields for the fields.",
        ),
        (
            {"region": "Ireland"},
            "region: 'Ireland' is not an AWS region name; use names such as 'us-east-1' or "
            "'eu-west-2'.",
        ),
    ],
)
def test_bad_args_are_refused_by_name_and_register_nothing(
    args: dict[str, Any], message: str
) -> None:
    run = build(args, raise_errors=False)  # type: ignore[arg-type]

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


def test_the_package_schema_types_and_describes_every_input_and_output() -> None:
    from tests.support.package import analyzed_schema

    resource = analyzed_schema()["resources"][COMPONENT_TYPE]
    inputs = resource["inputProperties"]

    assert resource["isComponent"] is True
    assert resource.get("requiredInputs", []) == []
    # Everything is plain: it is the rule's own text, known when the component is built.
    assert {
        k: (v.get("type", v.get("$ref")), v.get("plain", False)) for k, v in inputs.items()
    } == {
        "trafficType": ("#/types/vpc-flow-logs:index:TrafficType", True),
        "maxAggregationInterval": ("integer", True),
        "logGroupName": ("string", True),
        "retentionInDays": ("integer", True),
        "logFormat": ("array", True),
        "ruleName": ("string", True),
        "region": ("string", True),
        "tags": ("object", True),
    }
    for name, prop in inputs.items():
        assert re.search(r"Defaults to [^.]+", prop["description"]), name
    assert {k: v["type"] for k, v in resource["properties"].items()} == {
        "ruleArn": "string",
        "destinationPattern": "string",
    }
