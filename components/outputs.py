"""The stack's components, gathered over the regions it covers, and the outputs it exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import pulumi

from components.drift_repair.component import DriftRepair
from components.flow_logs.component import VpcFlowLogs
from components.flow_logs.targets import FlowLogTargets
from components.monitoring.component import FlowLogMonitoring
from components.organization.component import OrganizationFlowLogs
from components.regions import CoveredRegion
from components.storage.athena import FlowLogAthena
from components.storage.s3_delivery import S3FlowLogs


@dataclass
class StackComponents:
    """What the program built: per covered region, and once for the stack."""

    regions: tuple[CoveredRegion, ...]
    targets: Mapping[CoveredRegion, FlowLogTargets]
    """What each region logs, its VPCs looked up."""
    flow_logs: dict[CoveredRegion, VpcFlowLogs] = field(default_factory=dict)
    """CloudWatch delivery, with ``destination`` cloudwatch or both."""
    monitoring: dict[CoveredRegion, FlowLogMonitoring] = field(default_factory=dict)
    repair: dict[CoveredRegion, DriftRepair] = field(default_factory=dict)
    s3: S3FlowLogs | None = None
    """S3 delivery, one bucket for every region, with ``destination`` s3 or both."""
    athena: FlowLogAthena | None = None
    organization: OrganizationFlowLogs | None = None

    @property
    def home(self) -> CoveredRegion:
        """The stack's own region."""
        return next(region for region in self.regions if region.is_home)

    def repair_destination(self, region: CoveredRegion) -> dict[str, pulumi.Output[str]]:
        """Where drift repairs in ``region`` deliver, as the stack's own flow logs do: the
        region's log group through its role, or else the bucket."""
        if region in self.flow_logs:
            component = self.flow_logs[region]
            return {
                "log_group_arn": component.log_group_arn,
                "delivery_role_arn": component.role_arn,
            }
        assert self.s3 is not None, "a stack delivers to CloudWatch, S3 or both"
        return {"log_bucket_arn": self.s3.bucket_arn}


def stack_outputs(built: StackComponents) -> dict[str, Any]:
    """The stack's exports. A capability that is off exports nothing.

    ``vpcIds``, ``flowLogIds``, ``targetFlowLogIds`` and ``alarmNames`` span every region, in
    the order the regions are listed; ``logGroupName``, ``logGroupArn``, ``roleArn``,
    ``kmsKeyArn``, ``alarmTopicArn``, ``dashboardName`` and ``driftRepairRuleName`` are the
    stack's own region's, as they were before the stack covered several; ``regions`` has every
    region's own. S3's one bucket serves every region.
    """
    home = built.home
    flow_logs = list(built.flow_logs.values())
    outputs: dict[str, Any] = {}
    if flow_logs:
        outputs |= {
            "vpcIds": _concatenated(c.vpc_ids for c in flow_logs),
            "flowLogIds": _concatenated(c.flow_log_ids for c in flow_logs),
            "targetFlowLogIds": pulumi.Output.all(
                *(c.target_flow_log_ids for c in flow_logs)
            ).apply(lambda maps: dict(chain.from_iterable(m.items() for m in maps))),
            "logGroupName": built.flow_logs[home].log_group_name,
            "logGroupArn": built.flow_logs[home].log_group_arn,
            "roleArn": built.flow_logs[home].role_arn,
            "kmsKeyArn": built.flow_logs[home].kms_key_arn,
        }
    if built.s3 is not None:
        outputs.setdefault("vpcIds", built.s3.vpc_ids)
        outputs["s3FlowLogIds"] = built.s3.flow_log_ids
        outputs["s3TargetFlowLogIds"] = built.s3.target_flow_log_ids
        outputs["bucketName"] = built.s3.bucket_name
        if built.s3.logs_transit_gateways:
            outputs["s3TransitGatewayPrefix"] = built.s3.transit_gateway_prefix
    if built.athena is not None:
        outputs["athenaDatabase"] = built.athena.database_name
        outputs["athenaTable"] = built.athena.table_name
        outputs["athenaWorkgroup"] = built.athena.workgroup_name
    if built.monitoring:
        outputs["alarmTopicArn"] = built.monitoring[home].alarm_topic_arn
        outputs["alarmNames"] = _concatenated(m.alarm_names for m in built.monitoring.values())
        outputs["dashboardName"] = built.monitoring[home].dashboard_name
    if built.repair:
        outputs["driftRepairRuleName"] = built.repair[home].config_rule_name
    if built.organization is not None:
        outputs["organizationRuleArn"] = built.organization.rule_arn
    outputs["regions"] = {r.name: _region_outputs(built, r) for r in built.regions}
    return outputs


def _region_outputs(built: StackComponents, region: CoveredRegion) -> dict[str, Any]:
    outputs: dict[str, Any] = {"vpcIds": list(built.targets[region].vpc_ids)}
    if region in built.flow_logs:
        component = built.flow_logs[region]
        outputs["flowLogIds"] = component.flow_log_ids
        outputs["logGroupName"] = component.log_group_name
        outputs["logGroupArn"] = component.log_group_arn
        outputs["roleArn"] = component.role_arn
        outputs["kmsKeyArn"] = component.kms_key_arn
    if region in built.monitoring:
        monitoring = built.monitoring[region]
        outputs["alarmTopicArn"] = monitoring.alarm_topic_arn
        outputs["alarmNames"] = monitoring.alarm_names
        outputs["dashboardName"] = monitoring.dashboard_name
    if region in built.repair:
        outputs["driftRepairRuleName"] = built.repair[region].config_rule_name
    return outputs


def _concatenated(lists: Any) -> pulumi.Output[list[str]]:
    return pulumi.Output.all(*lists).apply(lambda values: list(chain.from_iterable(values)))


def _merged(maps: Any) -> pulumi.Output[dict[str, str]]:
    return pulumi.Output.all(*maps).apply(
        lambda values: dict(chain.from_iterable(m.items() for m in values))
    )
