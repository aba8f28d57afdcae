"""Turn on VPC Flow Logs for what this stack's config selects, in every region it covers; watch
them, repair drift and roll out to the organisation when asked."""

from dataclasses import replace

import pulumi

from components import DriftRepair, FlowLogMonitoring, OrganizationFlowLogs, VpcFlowLogs
from components.drift_repair import drift_repair_args
from components.flow_logs import flow_log_args
from components.monitoring import monitoring_args
from components.organization import organization_args
from components.outputs import stack_outputs
from components.regions import covered_regions
from components.settings import load_settings
from components.vpc_lookup import resolve_vpc_ids

settings = load_settings()
regions = covered_regions(settings.regions)
# Every region's VPCs are looked up before any resource is registered, so a selection that fails
# in one region leaves nothing half-created in another.
targets = {
    region: replace(settings.targets, vpc_ids=resolve_vpc_ids(settings.selection, region.override))
    for region in regions
}

flow_logs = {
    region: VpcFlowLogs(
        region.resource_name("vpc-flow-logs"),
        flow_log_args(targets[region], settings.options, region.override),
    )
    for region in regions
}
monitoring = {
    region: FlowLogMonitoring(
        region.resource_name("vpc-flow-logs-monitoring"),
        monitoring_args(settings.monitoring, flow_logs[region].log_group_name, region.override),
    )
    for region in regions
    if settings.monitoring
}
repair = {
    region: DriftRepair(
        region.resource_name("vpc-flow-logs-repair"),
        drift_repair_args(
            flow_logs[region].log_group_arn,
            flow_logs[region].role_arn,
            settings.options,
            region.override,
        ),
    )
    for region in regions
    if settings.repair_drift
}
organization = (
    OrganizationFlowLogs("vpc-flow-logs-org", organization_args(settings.options))
    if settings.organization_wide
    else None
)

for name, value in stack_outputs(flow_logs, monitoring, repair, organization).items():
    pulumi.export(name, value)
