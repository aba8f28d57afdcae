"""``vpc-flow-log-aggregation-interval``: flow logs aggregate over an allowed interval.

AWS accepts 60 or 600 seconds and defaults to 600. The default here allows only 60: a one-minute
window lets detection (metric filters, alarms, GuardDuty-style queries) see an event up to nine
minutes sooner, and CloudWatch Logs bills by volume ingested, not by record count, so the price
difference is small. Because 600 is a valid AWS setting, the policy is advisory unless a config
(``policy/config/prod.json``) makes it mandatory.

This is a resource policy: it needs only the flow log's own inputs, so it runs in Analyze for each
resource and costs nothing in AnalyzeStack.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
)

from .graph import FLOW_LOG_TYPES, UNKNOWN, read
from .scaffolding import format_list, one_or_more_of, resource_validation

NAME: Final = "vpc-flow-log-aggregation-interval"
AWS_INTERVALS: Final = (60, 600)
AWS_DEFAULT_INTERVAL: Final = 600
DEFAULTS: Final[Mapping[str, Any]] = {"allowedIntervals": [60]}

CONFIG_SCHEMA: Final = PolicyConfigSchema(
    properties={
        "allowedIntervals": one_or_more_of(
            "integer",
            AWS_INTERVALS,
            DEFAULTS["allowedIntervals"],
            "Values of maxAggregationInterval (seconds) a flow log may use. Defaults to [60].",
        )
    }
)


def check_interval(interval: Any, config: Mapping[str, Any]) -> str | None:
    """Return a violation message for a flow log's ``maxAggregationInterval``, or None.

    ``interval`` may be None (not set, so AWS's default applies) or :data:`UNKNOWN` (not judged).
    """
    if interval is UNKNOWN:
        return None
    allowed = [int(v) for v in config["allowedIntervals"]]
    if interval is None:
        if AWS_DEFAULT_INTERVAL in allowed:
            return None
        return (
            f"maxAggregationInterval is not set, so AWS uses {AWS_DEFAULT_INTERVAL} seconds; "
            f"this policy allows {format_list(allowed)}. "
            f"Set maxAggregationInterval to {allowed[0]}."
        )
    if isinstance(interval, int | float) and int(interval) in allowed:
        return None
    shown = int(interval) if isinstance(interval, int | float) else interval
    return (
        f"maxAggregationInterval is {shown} seconds; this policy allows "
        f"{format_list(allowed)}. Set maxAggregationInterval to {allowed[0]}."
    )


def check(props: Mapping[str, Any], config: Mapping[str, Any]) -> str | None:
    """Check one flow log's inputs."""
    return check_interval(read(props, "maxAggregationInterval"), config)


policy: Final = ResourceValidationPolicy(
    name=NAME,
    description="Flow logs aggregate records over an allowed interval (60 seconds by default).",
    validate=resource_validation(check, DEFAULTS, FLOW_LOG_TYPES),
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.LOW,
    tags=["logging", "detection"],
    remediation_steps=(
        "Set maxAggregationInterval to 60 on the flow log (the VpcFlowLogs component's "
        "maxAggregationInterval setting), or allow 600 in allowedIntervals. Changing it "
        "replaces the flow log, which leaves a short gap in logging."
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
