"""``vpc-flow-logs-required``: every VPC of the stack has a VPC-level flow log in the stack.

This is Security Hub control EC2.6 and CIS AWS Foundations Benchmark 1.4.0 control 3.9, checked at
preview time by following the resource graph: a flow log is linked to its VPC through the
``vpcId`` (``resourceId`` for aws-native) property dependency, which the engine sends even while a
new VPC's id is unknown, and otherwise through the literal id when both are known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    Severity,
    StackValidationPolicy,
)

from .graph import UNKNOWN, VPC_TYPES, FlowLog, flow_logs, known_str, linked, literal_ids
from .scaffolding import Finding, Findings, format_list, one_or_more_of, stack_validation

NAME: Final = "vpc-flow-logs-required"
TRAFFIC_TYPES: Final = ("ALL", "ACCEPT", "REJECT")
DEFAULTS: Final[Mapping[str, Any]] = {"allowedTrafficTypes": ["ALL"]}
"""``ALL`` by default: Security Hub accepts REJECT, but investigations need accepted flows too."""

CONFIG_SCHEMA: Final = PolicyConfigSchema(
    properties={
        "allowedTrafficTypes": one_or_more_of(
            "string",
            TRAFFIC_TYPES,
            DEFAULTS["allowedTrafficTypes"],
            'Traffic types of which one VPC-level flow log must capture. Defaults to ["ALL"].',
        )
    }
)


def vpc_ids(vpc: PolicyResource) -> list[str]:
    """Return the literal ids a VPC is known by (``id``, and ``vpcId`` for aws-native)."""
    return literal_ids(vpc, ("id", "vpcId"))


def target_vpc(
    flow_log: FlowLog, vpcs_by_id: Mapping[str, PolicyResource]
) -> PolicyResource | object | None:
    """Return the stack VPC a VPC-level flow log covers, :data:`UNKNOWN`, or None (not ours)."""
    candidates = linked(flow_log.resource, flow_log.target_key, VPC_TYPES)
    target = known_str(flow_log.target)
    if len(candidates) == 1:
        return candidates[0]
    if target is not None:
        vpc = vpcs_by_id.get(target)
        # Several VPC dependencies: the literal id says which one is meant.
        if vpc is not None and (not candidates or vpc in candidates):
            return vpc
        return None
    return UNKNOWN if flow_log.target is UNKNOWN or candidates else None


def _traffic_label(value: Any) -> str:
    if value is UNKNOWN:
        return "unknown"
    return value if isinstance(value, str) and value else "not set"


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Report every VPC without a VPC-level flow log of an allowed traffic type."""
    allowed = [str(t) for t in config["allowedTrafficTypes"]]
    preferred = "ALL" if "ALL" in allowed else allowed[0]
    vpcs = [r for r in resources if r.resource_type in VPC_TYPES]
    vpcs_by_id = {vpc_id: vpc for vpc in vpcs for vpc_id in vpc_ids(vpc)}

    findings = Findings()
    covered: set[str] = set()
    other_types: dict[str, set[str]] = {}
    for flow_log in flow_logs(resources):
        name = flow_log.resource.name
        if flow_log.level is UNKNOWN:
            findings.unresolved.append(
                Finding(
                    f"Flow log '{name}' has a resourceType that is unknown during this preview, "
                    "so it counts as covering no VPC.",
                    flow_log.resource.urn,
                )
            )
            continue
        if flow_log.level != "VPC":
            continue
        vpc = target_vpc(flow_log, vpcs_by_id)
        if vpc is UNKNOWN:
            findings.unresolved.append(
                Finding(
                    f"Flow log '{name}' has a {flow_log.target_key} that is unknown during this "
                    "preview and depends on no VPC of this stack, so it covers none of this "
                    f"stack's VPCs; {NAME} still checks every VPC.",
                    flow_log.resource.urn,
                )
            )
            continue
        if not isinstance(vpc, PolicyResource):
            continue
        if flow_log.traffic_type in allowed:
            covered.add(vpc.urn)
        else:
            other_types.setdefault(vpc.urn, set()).add(_traffic_label(flow_log.traffic_type))

    for vpc in vpcs:
        if vpc.urn in covered:
            continue
        seen = other_types.get(vpc.urn)
        if seen:
            message = (
                f"VPC '{vpc.name}' has flow logs only with traffic type "
                f"{format_list(sorted(seen))}, and this policy accepts {format_list(allowed)}. "
                f'Set trafficType to "{preferred}" on its flow log.'
            )
        else:
            message = (
                f"VPC '{vpc.name}' has no VPC-level flow log in this stack. Add the VpcFlowLogs "
                "component from the vpc-flow-logs project for it, or an aws.ec2.FlowLog with "
                f'vpcId set to this VPC\'s id and trafficType "{preferred}".'
            )
        findings.violations.append(Finding(message, vpc.urn))
    return findings


policy: Final = StackValidationPolicy(
    name=NAME,
    description=(
        "Every VPC the stack manages has a VPC-level flow log in the same stack "
        "(AWS Security Hub EC2.6, CIS AWS Foundations Benchmark 3.9)."
    ),
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.HIGH,
    framework=PolicyComplianceFramework(
        name="CIS AWS Foundations Benchmark", version="1.4.0", reference="3.9"
    ),
    tags=["security", "logging", "network"],
    remediation_steps=(
        "Give each VPC a flow log in the same stack: attach the VpcFlowLogs component from the "
        "vpc-flow-logs project, or create an aws.ec2.FlowLog with vpcId set to the VPC's id, "
        'trafficType "ALL" and a logDestination. Subnet- and ENI-level flow logs do not count. '
        "Security Hub EC2.6 and CIS 3.9 require flow logging on every VPC."
    ),
    url="https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6",
)
"""The policy object ``__main__.py`` puts in the pack."""
