"""Check 6: the drift-repair Config rule exists, and how many VPCs it finds without a flow log
(AWS Config ``DescribeConfigRules``, ``GetComplianceDetailsByConfigRule``)."""

from __future__ import annotations

from verify.aws import Aws
from verify.results import Check, Severity

CHECK = "drift-repair"
SHOWN = 5
"""Non-compliant VPC ids named in the row; the count covers them all."""


def check_drift_repair(aws: Aws, region: str, rule_name: str) -> list[Check]:
    """The rule exists; non-compliant VPCs are a warning (remediation is under way or failing)."""
    config = aws.client("config", region)
    try:
        rules = config.describe_config_rules(ConfigRuleNames=[rule_name])["ConfigRules"]
    except config.exceptions.NoSuchConfigRuleException:
        rules = []
    # AWS answers a missing rule with NoSuchConfigRuleException; an empty list (as moto gives)
    # means the same.
    rule = next((r for r in rules if r.get("ConfigRuleName") == rule_name), None)
    if rule is None:
        return [
            Check(
                CHECK,
                region,
                rule_name,
                False,
                f"the Config rule {rule_name} does not exist, so VPCs made outside the stack "
                "are not repaired; run `pulumi refresh` and then ./up.sh.",
            )
        ]
    state = rule.get("ConfigRuleState", "ACTIVE")
    if state != "ACTIVE":
        return [Check(CHECK, region, rule_name, False, f"the Config rule is {state}")]
    vpcs = [
        result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"]
        for page in config.get_paginator("get_compliance_details_by_config_rule").paginate(
            ConfigRuleName=rule_name, ComplianceTypes=["NON_COMPLIANT"]
        )
        for result in page.get("EvaluationResults", [])
    ]
    if not vpcs:
        return [Check(CHECK, region, rule_name, True, "0 VPCs without a flow log")]
    shown = ", ".join(vpcs[:SHOWN]) + (", ..." if len(vpcs) > SHOWN else "")
    return [
        Check(
            CHECK,
            region,
            rule_name,
            False,
            f"{len(vpcs)} VPCs without a flow log ({shown}); the remediation repairs them "
            "within minutes. If they stay, look at the rule's remediation executions in the "
            "Config console (the repair role, or the two-flow-logs-per-VPC quota).",
            Severity.WARNING,
        )
    ]
