"""Turn on VPC Flow Logs for what this stack's config selects, in every region it covers, to
CloudWatch Logs, S3 or both; watch them, repair drift and roll out to the organisation when asked.
"""

from dataclasses import replace

import pulumi

from components import (
    DriftRepair,
    FlowLogAthena,
    FlowLogMonitoring,
    OrganizationFlowLogs,
    S3FlowLogs,
    VpcFlowLogs,
)
from components.drift_repair.component import drift_repair_args
from components.flow_logs.component import flow_log_args
from components.flow_logs.vpc_lookup import resolve_vpc_ids
from components.monitoring.component import monitoring_args
from components.monitoring.wiring import watched_delivery
from components.organization.component import organization_args
from components.outputs import StackComponents, stack_outputs
from components.regions import covered_regions
from components.settings import load_settings
from components.storage.athena import athena_args
from components.storage.s3_delivery import s3_flow_logs_args

settings = load_settings()
options, storage = settings.options, settings.storage
regions = covered_regions(settings.regions)
# Every region's VPCs are looked up before any resource is registered, so a selection that fails
# in one region leaves nothing half-created in another.
targets = {
    region: replace(settings.targets, vpc_ids=resolve_vpc_ids(settings.selection, region.override))
    for region in regions
}

built = StackComponents(regions, targets)
for region in regions if storage.to_cloudwatch else ():
    built.flow_logs[region] = VpcFlowLogs(
        region.resource_name("vpc-flow-logs"),
        flow_log_args(targets[region], options, region.override),
    )
if storage.to_s3:
    built.s3 = S3FlowLogs("vpc-flow-logs-s3", s3_flow_logs_args(targets, options, storage))
    if storage.athena:
        region_names = [region.name for region in regions]
        built.athena = FlowLogAthena(
            "vpc-flow-logs-athena", athena_args(built.s3, options, storage, region_names)
        )
for region in regions:
    # Each region's log group, and at home the bucket the stack created.
    if settings.monitoring and (watched := watched_delivery(built, storage, region)):
        built.monitoring[region] = FlowLogMonitoring(
            region.resource_name("vpc-flow-logs-monitoring"),
            monitoring_args(settings.monitoring, region=region.override, **watched),
        )
for region in regions if settings.repair_drift else ():
    # Repairs deliver as the stack does: to the region's log group, else to the bucket.
    built.repair[region] = DriftRepair(
        region.resource_name("vpc-flow-logs-repair"),
        drift_repair_args(options, region.override, **built.repair_destination(region)),
    )
if settings.organization_wide:
    built.organization = OrganizationFlowLogs("vpc-flow-logs-org", organization_args(options))

for name, value in stack_outputs(built).items():
    pulumi.export(name, value)
