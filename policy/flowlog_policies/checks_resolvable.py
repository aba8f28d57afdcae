"""``vpc-flow-log-checks-resolvable``: an advisory of what the other policies could not check.

During a preview, a value built from a resource that does not exist yet is unknown. The mandatory
policies never let that switch them off: a VPC whose flow log can't be linked to it still counts as
uncovered. But a stack policy can only report at its own enforcement level, so the notes about what
was left unchecked ("this flow log's vpcId is unknown and depends on no VPC of this stack, so it
covers none") are gathered here, in one policy that is advisory by default. So is every flow log
that delivers to a bucket outside the stack, or to a Firehose stream: its lifecycle is its
owner's, and no policy can judge it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import EnforcementLevel, PolicyResource, Severity, StackValidationPolicy

from . import (
    flow_logs_required,
    log_group_encrypted,
    log_retention,
    monitored,
    role_least_privilege,
    transit_gateway_flow_logs_required,
)
from .scaffolding import NO_SETTINGS, Findings, stack_validation

NAME: Final = "vpc-flow-log-checks-resolvable"
DEFAULTS: Final = NO_SETTINGS

_CHECKS: Final = (
    (flow_logs_required.check, flow_logs_required.DEFAULTS),
    (log_retention.check, log_retention.DEFAULTS),
    (role_least_privilege.check, role_least_privilege.DEFAULTS),
    (log_group_encrypted.check, log_group_encrypted.DEFAULTS),
    (monitored.check, monitored.DEFAULTS),
    (transit_gateway_flow_logs_required.check, transit_gateway_flow_logs_required.DEFAULTS),
)


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Return, as violations of this policy, every note the other checks left unresolved."""
    findings = Findings()
    seen: set[tuple[str, str]] = set()
    for other, defaults in _CHECKS:
        # The notes don't depend on the other policies' settings, so their defaults do.
        for note in other(resources, defaults).unresolved:
            key = (note.message, note.urn)
            if key not in seen:
                seen.add(key)
                findings.violations.append(note)
    return findings


policy: Final = StackValidationPolicy(
    name=NAME,
    description=(
        "Flow logs, their log groups, buckets and IAM documents can be identified, so the other "
        "flow-log policies can check them."
    ),
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    tags=["logging"],
    remediation_steps=(
        "Pass the VPC's id output (vpc.id) to the flow log rather than a value computed "
        "elsewhere, so Pulumi records the dependency. Values that are unknown only because the "
        "resource is new are checked again by `pulumi up`. A flow log to a bucket outside the "
        "stack, or to a Firehose stream, is listed so that where it ends up, and for how long, can "
        "be checked by hand."
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
