"""The stack's outputs, gathered over the regions it covers."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from typing import Any

import pulumi

from components.drift_repair import DriftRepair
from components.flow_logs import VpcFlowLogs
from components.monitoring import FlowLogMonitoring
from components.organization import OrganizationFlowLogs
from components.regions import CoveredRegion


def stack_outputs(
    flow_logs: Mapping[CoveredRegion, VpcFlowLogs],
    monitoring: Mapping[CoveredRegion, FlowLogMonitoring],
    repair: Mapping[CoveredRegion, DriftRepair],
    organization: OrganizationFlowLogs | None,
) -> dict[str, Any]:
    """The stack's exports, for one ``VpcFlowLogs`` per covered region and, when they are on,
    one ``FlowLogMonitoring`` and one ``DriftRepair`` beside each, and the organisation's rule.

    ``vpcIds``, ``flowLogIds``, ``targetFlowLogIds`` and ``alarmNames`` span every region, in
    the order the regions are listed; ``logGroupName``, ``logGroupArn``, ``roleArn``,
    ``kmsKeyArn``, ``alarmTopicArn``, ``dashboardName`` and ``driftRepairRuleName`` are the
    stack's own region's, as they were before the stack covered several; ``regions`` has every
    region's own. A capability that is off exports nothing.
    """
    home = next(region for region in flow_logs if region.is_home)
    components = list(flow_logs.values())
    outputs: dict[str, Any] = {
        "vpcIds": pulumi.Output.all(*(c.vpc_ids for c in components)).apply(_concatenated),
        "flowLogIds": pulumi.Output.all(*(c.flow_log_ids for c in components)).apply(_concatenated),
        "targetFlowLogIds": pulumi.Output.all(*(c.target_flow_log_ids for c in components)).apply(
            lambda maps: dict(chain.from_iterable(m.items() for m in maps))
        ),
        "logGroupName": flow_logs[home].log_group_name,
        "logGroupArn": flow_logs[home].log_group_arn,
        "roleArn": flow_logs[home].role_arn,
        "kmsKeyArn": flow_logs[home].kms_key_arn,
        "regions": {
            region.name: {
                "vpcIds": component.vpc_ids,
                "flowLogIds": component.flow_log_ids,
                "logGroupName": component.log_group_name,
                "logGroupArn": component.log_group_arn,
                "roleArn": component.role_arn,
                "kmsKeyArn": component.kms_key_arn,
                **_monitoring_outputs(monitoring.get(region)),
                **(
                    {"driftRepairRuleName": repair[region].config_rule_name}
                    if region in repair
                    else {}
                ),
            }
            for region, component in flow_logs.items()
        },
    }
    if monitoring:
        outputs["alarmTopicArn"] = monitoring[home].alarm_topic_arn
        outputs["alarmNames"] = pulumi.Output.all(
            *(m.alarm_names for m in monitoring.values())
        ).apply(_concatenated)
        outputs["dashboardName"] = monitoring[home].dashboard_name
    if repair:
        outputs["driftRepairRuleName"] = repair[home].config_rule_name
    if organization is not None:
        outputs["organizationRuleArn"] = organization.rule_arn
    return outputs


def _monitoring_outputs(monitoring: FlowLogMonitoring | None) -> dict[str, Any]:
    if monitoring is None:
        return {}
    return {
        "alarmTopicArn": monitoring.alarm_topic_arn,
        "alarmNames": monitoring.alarm_names,
        "dashboardName": monitoring.dashboard_name,
    }


def _concatenated(lists: list[list[str]]) -> list[str]:
    return list(chain.from_iterable(lists))
