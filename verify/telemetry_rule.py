"""Check 8: with ``organizationWide``, the organisation's telemetry rule exists and records as
the stack says (CloudWatch observability admin ``GetTelemetryRuleForOrganization``).

It is asked from the stack's own region, where the rule lives; only the management account or
a delegated administrator may ask. It checks what the rule says, not what AWS has made from it:
an updated rule applies only to VPCs created afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verify.aws import Aws
from verify.expected import DEFAULT_LOG_FORMAT, Expected
from verify.results import Check, Severity

CHECK = "telemetry-rule"


def check_telemetry_rule(aws: Aws, region: str, rule_arn: str, expected: Expected) -> list[Check]:
    """The rule exists with the stack's settings; a region it failed to reach is a warning."""
    telemetry = aws.client("observabilityadmin", region)
    try:
        answer = telemetry.get_telemetry_rule_for_organization(RuleIdentifier=rule_arn)
    except telemetry.exceptions.ResourceNotFoundException:
        return [
            Check(
                CHECK,
                region,
                rule_arn,
                False,
                "the organisation's telemetry rule does not exist, so VPCs of the organisation "
                "get no flow log from it; run `pulumi refresh` and then "
                f"`./up.sh {expected.stack or '<stack>'}`.",
            )
        ]
    problems = rule_problems(answer["TelemetryRule"], expected)
    if problems:
        return [
            Check(
                CHECK,
                region,
                rule_arn,
                False,
                "; ".join(problems) + ": it was changed outside the stack; run "
                f"`./up.sh {expected.stack or '<stack>'}` to set it back (an updated rule "
                "applies only to VPCs created afterwards).",
            )
        ]
    rows = [
        Check(
            CHECK,
            region,
            rule_arn,
            True,
            f"{answer.get('RuleName', rule_arn)}: flow logs on every VPC of the organisation in "
            "all regions, as the stack says",
        )
    ]
    failed = [s for s in answer.get("RegionStatuses", []) if s.get("FailureReason")]
    if failed:
        where = "; ".join(f"{s.get('Region')}: {s.get('FailureReason')}" for s in failed)
        rows.append(
            Check(
                CHECK,
                region,
                rule_arn,
                False,
                f"the rule did not reach every region ({where}); VPCs there get no flow log "
                "from it. Look at the rule in the CloudWatch console (telemetry config).",
                Severity.WARNING,
            )
        )
    return rows


def rule_problems(rule: Mapping[str, Any], expected: Expected) -> list[str]:
    """Where the rule differs from what the stack makes, each naming both values."""
    destination = rule["DestinationConfiguration"]
    parameters = destination.get("VPCFlowLogParameters", {})
    found: dict[str, object] = {
        "ResourceType": rule.get("ResourceType"),
        "TelemetryType": rule.get("TelemetryType"),
        "TelemetrySourceTypes": rule.get("TelemetrySourceTypes"),
        "AllRegions": rule.get("AllRegions"),
        "DestinationType": destination.get("DestinationType"),
        "DestinationPattern": destination.get("DestinationPattern"),
        "RetentionInDays": destination.get("RetentionInDays"),
        "TrafficType": parameters.get("TrafficType"),
        "MaxAggregationInterval": parameters.get("MaxAggregationInterval"),
        # No format means AWS's default one.
        "LogFormat": parameters.get("LogFormat") or DEFAULT_LOG_FORMAT,
    }
    wanted: dict[str, object] = {
        "ResourceType": "AWS::EC2::VPC",
        "TelemetryType": "Logs",
        "TelemetrySourceTypes": ["VPC_FLOW_LOGS"],
        "AllRegions": True,
        "DestinationType": "cloud-watch-logs",
        "DestinationPattern": expected.organization_destination_pattern,
        "RetentionInDays": expected.retention_in_days,
        "TrafficType": expected.traffic_type,
        "MaxAggregationInterval": expected.aggregation_interval,
        "LogFormat": expected.log_format,
    }
    return [
        f"{name} is {found[name]!r}, but the stack says {value!r}"
        for name, value in wanted.items()
        if found[name] != value
    ]
