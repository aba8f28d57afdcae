"""``vpc-flow-log-monitored``: someone hears of what a flow-log group records.

A log group that receives flow logs must have at least one metric filter whose metric (namespace
and name) has a CloudWatch alarm with an action. Flow logs that nobody watches protect nobody.
A group that receives only transit-gateway flow logs is not held to it: those records are in
the transit-gateway format, which the VPC-format filters this rule asks for cannot read, and
they are kept in a group of their own so that those filters never miscount them.

A group counts as watched, too, when a centralization rule of the stack copies it into a group
that is watched: the organisation's records, the stack's own among them, are then heard once, in
the central group.

Monitoring costs alarms and custom metrics, so the policy is advisory by default and
``policy/config/prod.json`` makes it mandatory. In a preview, an alarm action that is unknown (a
topic created in the same preview) counts as set: a value is coming. A filter is linked to its
log group through the ``logGroupName`` property dependency first, then by literal name; a filter
or metric that can be linked neither way does not count, so an unknown never lets a stack through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import EnforcementLevel, PolicyResource, Severity, StackValidationPolicy

from .centralization import copies
from .destinations import LOG_GROUP_TYPES, cloudwatch_log_groups, log_group_name
from .graph import UNKNOWN, as_list, known_str, linked, read
from .scaffolding import NO_SETTINGS, Finding, Findings, stack_validation

NAME: Final = "vpc-flow-log-monitored"
DEFAULTS: Final = NO_SETTINGS

METRIC_FILTER_TYPE: Final = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
METRIC_ALARM_TYPE: Final = "aws:cloudwatch/metricAlarm:MetricAlarm"

_TRANSIT_GATEWAY_LEVELS: Final = ("TransitGateway", "TransitGatewayAttachment")

Metric = tuple[str, str]
"""A metric's namespace and name."""


def _metric(namespace: Any, name: Any) -> Metric | None:
    ns, metric = known_str(namespace), known_str(name)
    return (ns, metric) if ns and metric else None


def _alarm_metrics(alarm: PolicyResource) -> list[Metric]:
    """The known metrics an alarm watches: its own, or those of its metric queries."""
    props = alarm.props
    metrics = []
    own = _metric(read(props, "namespace"), read(props, "metricName"))
    if own:
        metrics.append(own)
    for query in as_list(read(props, "metricQueries")):
        if not isinstance(query, Mapping):
            continue
        metric = read(query, "metric")
        if isinstance(metric, Mapping):
            found = _metric(read(metric, "namespace"), read(metric, "metricName"))
            if found:
                metrics.append(found)
    return metrics


def _has_action(alarm: PolicyResource) -> bool:
    actions = read(alarm.props, "alarmActions")
    if actions is UNKNOWN:
        return True
    return any(a is UNKNOWN or known_str(a) for a in as_list(actions))


def _alarmed_metrics(resources: Sequence[PolicyResource]) -> set[Metric]:
    """Every metric that has an alarm with an action."""
    alarmed: set[Metric] = set()
    for alarm in resources:
        if alarm.resource_type == METRIC_ALARM_TYPE and _has_action(alarm):
            alarmed.update(_alarm_metrics(alarm))
    return alarmed


def _filter_metric(metric_filter: PolicyResource) -> Metric | None:
    """The known metric a filter publishes, or None."""
    transformation = read(metric_filter.props, "metricTransformation")
    if isinstance(transformation, Mapping):
        return _metric(read(transformation, "namespace"), read(transformation, "name"))
    return None


def _filters_by_group(
    resources: Sequence[PolicyResource],
) -> tuple[dict[str, list[PolicyResource]], dict[str, list[PolicyResource]], list[PolicyResource]]:
    """Metric filters by the URN of the log group they depend on, by literal group name, and
    those linked neither way."""
    by_urn: dict[str, list[PolicyResource]] = {}
    by_name: dict[str, list[PolicyResource]] = {}
    unlinked: list[PolicyResource] = []
    for metric_filter in resources:
        if metric_filter.resource_type != METRIC_FILTER_TYPE:
            continue
        groups = linked(metric_filter, "logGroupName", LOG_GROUP_TYPES)
        name = known_str(read(metric_filter.props, "logGroupName"))
        if groups:
            for group in groups:
                by_urn.setdefault(group.urn, []).append(metric_filter)
        elif name:
            by_name.setdefault(name, []).append(metric_filter)
        else:
            unlinked.append(metric_filter)
    return by_urn, by_name, unlinked


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Report each flow-log group with no metric filter whose metric has an alarm with an action."""
    groups, unresolved = cloudwatch_log_groups(resources)
    findings = Findings(unresolved=unresolved)
    alarmed = _alarmed_metrics(resources)
    by_urn, by_name, unlinked = _filters_by_group(resources)
    for metric_filter in unlinked:
        findings.unresolved.append(
            Finding(
                f"Metric filter '{metric_filter.name}' has a logGroupName that is unknown during "
                "this preview and depends on no log group of this stack, so it counts for no "
                f"log group in {NAME}.",
                metric_filter.urn,
            )
        )
    group_urns = {
        name: resource.urn
        for resource in resources
        if resource.resource_type in LOG_GROUP_TYPES and (name := log_group_name(resource))
    }

    def watched(urn: str | None, name: str | None) -> bool:
        candidates = by_urn.get(urn or "", []) + (by_name.get(name, []) if name else [])
        return any(_filter_metric(f) in alarmed for f in candidates)

    centralized = copies(resources)
    for group, receives in groups:
        if all(flow_log.level in _TRANSIT_GATEWAY_LEVELS for flow_log in receives):
            continue
        name = log_group_name(group)
        if watched(group.urn, name):
            continue
        if name and any(
            rule.copies(name) and watched(group_urns.get(rule.destination), rule.destination)
            for rule in centralized
        ):
            continue
        findings.violations.append(
            Finding(
                f"Log group '{group.name}' receives flow logs, but no metric filter on it feeds "
                "a CloudWatch alarm with an action, so nobody hears of what it records. Add the "
                "FlowLogMonitoring component (stack config alarms: true), or a metric filter on "
                "the group and an alarm on its metric with alarmActions.",
                group.urn,
            )
        )
    return findings


policy: Final = StackValidationPolicy(
    name=NAME,
    description=(
        "CloudWatch log groups that receive flow logs have a metric filter whose metric has an "
        "alarm with an action."
    ),
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    tags=["logging", "monitoring"],
    remediation_steps=(
        "Set `alarms: true` in the stack's config, which adds the FlowLogMonitoring component, "
        "or create an aws.cloudwatch.LogMetricFilter on the log group (pass the group's name "
        "output as logGroupName) and an aws.cloudwatch.MetricAlarm on the filter's namespace "
        "and metric name with alarmActions naming an SNS topic."
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
