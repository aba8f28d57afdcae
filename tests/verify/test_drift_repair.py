"""The drift-repair rule, through botocore's Stubber: moto stores Config rules but does not
evaluate them, and has no GetComplianceDetailsByConfigRule."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.stub import Stubber

from verify.aws import Aws
from verify.drift_repair import check_drift_repair
from verify.results import Severity

RULE = "vpc-flow-logs-repair-rule-1234567"


def stubbed(*responses: tuple[str, dict[str, Any] | str, dict[str, Any]]) -> Aws:
    """An Aws whose Config answers ``responses`` in turn (a string: that error code)."""
    config = boto3.client("config", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")  # fmt: skip
    stubber = Stubber(config)
    for operation, response, params in responses:
        if isinstance(response, str):
            stubber.add_client_error(operation, response, expected_params=params)
        else:
            stubber.add_response(operation, response, params)
    stubber.activate()

    def only_config(service: str, _: BaseClient) -> BaseClient:
        assert service == "config"
        return config

    return Aws(boto3.Session(region_name="us-east-1"), on_client=only_config)


def rule(state: str = "ACTIVE") -> tuple[str, dict[str, Any], dict[str, Any]]:
    source = {"Owner": "AWS", "SourceIdentifier": "VPC_FLOW_LOGS_ENABLED"}
    return (
        "describe_config_rules",
        {"ConfigRules": [{"ConfigRuleName": RULE, "ConfigRuleState": state, "Source": source}]},
        {"ConfigRuleNames": [RULE]},
    )


def non_compliant(*vpcs: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    results = [
        {
            "EvaluationResultIdentifier": {
                "EvaluationResultQualifier": {"ResourceId": vpc, "ResourceType": "AWS::EC2::VPC"}
            },
            "ComplianceType": "NON_COMPLIANT",
        }
        for vpc in vpcs
    ]
    return (
        "get_compliance_details_by_config_rule",
        {"EvaluationResults": results},
        {"ConfigRuleName": RULE, "ComplianceTypes": ["NON_COMPLIANT"]},
    )


def test_a_rule_with_every_vpc_compliant_passes() -> None:
    (row,) = check_drift_repair(stubbed(rule(), non_compliant()), "us-east-1", RULE)

    assert (row.ok, row.detail) == (True, "0 VPCs without a flow log")


def test_non_compliant_vpcs_are_a_warning_counting_them_all() -> None:
    vpcs = [f"vpc-{n}" for n in range(7)]
    (row,) = check_drift_repair(stubbed(rule(), non_compliant(*vpcs)), "us-east-1", RULE)

    assert (row.ok, row.severity) == (False, Severity.WARNING)
    assert row.detail.startswith(
        "7 VPCs without a flow log (vpc-0, vpc-1, vpc-2, vpc-3, vpc-4, ...); the remediation"
    )


MISSING = f"the Config rule {RULE} does not exist, so VPCs made outside the stack are not repaired"


@pytest.mark.parametrize(
    "answer",
    [
        # AWS's answer for a rule that does not exist.
        ("describe_config_rules", "NoSuchConfigRuleException", {"ConfigRuleNames": [RULE]}),
        # An empty list, as moto answers, once crashed the run ("not enough values to unpack").
        ("describe_config_rules", {"ConfigRules": []}, {"ConfigRuleNames": [RULE]}),
    ],
    ids=["no-such-rule", "empty-list"],
)
def test_a_missing_rule_is_an_error_row_naming_it(
    answer: tuple[str, dict[str, Any] | str, dict[str, Any]],
) -> None:
    (row,) = check_drift_repair(stubbed(answer), "us-east-1", RULE)

    assert (row.ok, row.severity, row.resource) == (False, Severity.ERROR, RULE)
    assert row.detail.startswith(MISSING)


def test_a_rule_being_deleted_fails() -> None:
    (row,) = check_drift_repair(stubbed(rule("DELETING")), "us-east-1", RULE)

    assert (row.ok, row.detail) == (False, "the Config rule is DELETING")
