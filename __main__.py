"""Turn on VPC Flow Logs for what this stack's config selects, in every region it covers, and
watch them when asked."""

from dataclasses import replace

import pulumi

from components import FlowLogMonitoring, VpcFlowLogs
from components.flow_logs import flow_log_args
from components.monitoring import monitoring_args
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

for name, value in stack_outputs(flow_logs, monitoring).items():
    pulumi.export(name, value)
