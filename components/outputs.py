"""The stack's components, gathered over the regions it covers, and the outputs it exports."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

import pulumi

from components.flow_logs.targets import FlowLogTargets
from components.regions import CoveredRegion

if TYPE_CHECKING:
    # Named in annotations only: a capability's module is loaded when the stack turns it on.
    from components.archive.settings import ArchiveRole
    from components.centralization.component import CentralFlowLogs
    from components.drift_repair.component import DriftRepair
    from components.firehose.component import FirehoseFlowLogs
    from components.firehose.destination import FirehoseDestinationRole
    from components.flow_logs.component import VpcFlowLogs
    from components.monitoring.component import FlowLogMonitoring
    from components.organization.component import OrganizationFlowLogs
    from components.storage.athena import FlowLogAthena
    from components.storage.s3_delivery import S3FlowLogs


def freeze_long_lived_objects() -> None:
    """Exempt every object made so far from the garbage collector's later passes.

    The program calls this as it starts, when Pulumi's SDK is loaded, so that the collections
    the imports of pulumi-aws's services set off skip the SDK; again once its VPCs are looked
    up; and once its components are declared, before the engine registers what they declared.
    Pulumi's SDK and
    pulumi-aws leave some 120,000 objects (classes, functions, type hints), and the components
    about a hundred for each flow log; every full collection would rescan them all while the
    resources register. It is safe because what is frozen lives for the whole run anyway:
    modules stay in ``sys.modules``, the settings and looked-up ids are held by the program, and
    each resource, with its outputs, by the registration still pending for it. A frozen object
    is still freed when its last reference goes; only a cycle among frozen objects waits for
    the process to exit, as it could have waited for a full collection.
    """
    gc.freeze()


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
    firehose: FirehoseFlowLogs | None = None
    """Firehose delivery, in the regions ``firehoseArns`` names."""
    firehose_role: FirehoseDestinationRole | None = None
    """The destination role for other accounts' flow logs (``firehoseSourceAccounts``)."""
    central: CentralFlowLogs | None = None
    """The organisation's flow logs in one group here, with ``centralizeLogs``."""
    archive: ArchiveRole | None = None
    """The organisation's archive, or a member of it: what ``archive.outputs`` exports."""

    def logs_transit_gateways(self, region: CoveredRegion) -> bool:
        """Whether ``region`` logs any transit gateway or attachment."""
        return self.targets[region].transit_gateways

    @property
    def home(self) -> CoveredRegion:
        """The stack's own region."""
        return next(region for region in self.regions if region.is_home)

    def repair_destination(self, region: CoveredRegion) -> dict[str, pulumi.Output[str]]:
        """Where drift repairs in ``region`` deliver, as the stack's own flow logs do: the
        region's log group through its role, the bucket's folder, or both."""
        destination: dict[str, pulumi.Output[str]] = {}
        if region in self.flow_logs:
            component = self.flow_logs[region]
            destination["log_group_arn"] = component.log_group_arn
            destination["delivery_role_arn"] = component.role_arn
        if self.s3 is not None:
            # The folder the stack's own S3 flow logs deliver to: the bucket's ARN and the prefix.
            destination["log_bucket_arn"] = self.s3.log_destination
        assert destination, "a stack delivers to CloudWatch, S3 or both"
        return destination


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
        home_logs = built.flow_logs[home]
        outputs |= {
            "vpcIds": _concatenated(c.vpc_ids for c in flow_logs),
            "flowLogIds": _concatenated(c.flow_log_ids for c in flow_logs),
            "targetFlowLogIds": _merged(c.target_flow_log_ids for c in flow_logs),
            "logGroupName": home_logs.log_group_name,
            "logGroupArn": home_logs.log_group_arn,
            "roleArn": home_logs.role_arn,
            "kmsKeyArn": home_logs.kms_key_arn,
        }
        if built.logs_transit_gateways(home):
            outputs["transitGatewayLogGroupName"] = home_logs.transit_gateway_log_group_name
    if built.s3 is not None:
        outputs.setdefault("vpcIds", built.s3.vpc_ids)
        outputs["s3FlowLogIds"] = built.s3.flow_log_ids
        outputs["s3TargetFlowLogIds"] = built.s3.target_flow_log_ids
        outputs["bucketName"] = built.s3.bucket_name
        if built.s3.logs_transit_gateways:
            outputs["s3TransitGatewayPrefix"] = built.s3.transit_gateway_prefix
    if built.archive is not None:
        from components.archive.outputs import archive_outputs

        outputs |= archive_outputs(built)
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
    if built.firehose is not None:
        outputs["firehoseFlowLogIds"] = built.firehose.flow_log_ids
        outputs["firehoseTargetFlowLogIds"] = built.firehose.target_flow_log_ids
        outputs["firehoseStreamArns"] = dict(built.firehose.stream_arns)
        if built.firehose.cross_account:
            outputs["firehoseSourceRoleArn"] = built.firehose.source_role_arn
    if built.firehose_role is not None:
        outputs["firehoseDestinationRoleArn"] = built.firehose_role.role_arn
    if built.central is not None:
        outputs["centralLogGroupName"] = built.central.log_group_name
        outputs["centralLogGroupArn"] = built.central.log_group_arn
        outputs["centralizationRuleArn"] = built.central.rule_arn
        outputs["centralKmsKeyArn"] = built.central.kms_key_arn
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
        if built.logs_transit_gateways(region):
            outputs["transitGatewayLogGroupName"] = component.transit_gateway_log_group_name
    if region in built.monitoring:
        monitoring = built.monitoring[region]
        outputs["alarmTopicArn"] = monitoring.alarm_topic_arn
        outputs["alarmNames"] = monitoring.alarm_names
        outputs["dashboardName"] = monitoring.dashboard_name
    if region in built.repair:
        outputs["driftRepairRuleName"] = built.repair[region].config_rule_name
    if built.firehose is not None and region.name in built.firehose.flow_log_ids_by_region:
        outputs["firehoseFlowLogIds"] = built.firehose.flow_log_ids_by_region[region.name]
    return outputs


def _concatenated(lists: Iterable[pulumi.Output[list[str]]]) -> pulumi.Output[list[str]]:
    """One list from each region's; a stack of one region passes its list through as it is."""
    first, *rest = lists
    if not rest:
        return first
    return pulumi.Output.all(first, *rest).apply(lambda values: list(chain.from_iterable(values)))


def _merged(maps: Iterable[pulumi.Output[dict[str, str]]]) -> pulumi.Output[dict[str, str]]:
    """One map from each region's; a stack of one region passes its map through as it is."""
    first, *rest = maps
    if not rest:
        return first
    return pulumi.Output.all(first, *rest).apply(
        lambda values: dict(chain.from_iterable(m.items() for m in values))
    )
