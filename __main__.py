"""Turn on VPC Flow Logs for what this stack's config selects, in every region it covers, to
CloudWatch Logs, S3 or both; watch them, repair drift and roll out to the organisation when asked.

Each capability is imported in the branch that uses it, so a stack loads only what it turns on.
"""

from dataclasses import replace

import pulumi

from components.flow_logs.vpc_lookup import resolve_vpc_ids
from components.outputs import StackComponents, freeze_long_lived_objects, stack_outputs
from components.regions import covered_regions
from components.settings import load_settings

settings = load_settings()
options, storage = settings.options, settings.storage
regions = covered_regions(settings.regions)
# Every region's VPCs are looked up before any resource is registered, so a selection that fails
# in one region leaves nothing half-created in another.
targets = {
    region: replace(settings.targets, vpc_ids=resolve_vpc_ids(settings.selection, region.override))
    for region in regions
}

freeze_long_lived_objects()
built = StackComponents(regions, targets)
if settings.to_cloudwatch:
    from components.flow_logs.component import VpcFlowLogs, flow_log_args

    for region in regions:
        built.flow_logs[region] = VpcFlowLogs(
            region.resource_name("vpc-flow-logs"),
            flow_log_args(
                targets[region],
                options,
                region.override,
                delete_before_replace=settings.delete_before_replace,
            ),
        )
if storage is not None and storage.to_s3:
    from components.storage.s3_delivery import S3FlowLogs, s3_flow_logs_args

    built.s3 = S3FlowLogs(
        "vpc-flow-logs-s3",
        s3_flow_logs_args(
            targets, options, storage, delete_before_replace=settings.delete_before_replace
        ),
    )
    if storage.athena:
        from components.storage.athena import FlowLogAthena, athena_args

        region_names = [region.name for region in regions]
        built.athena = FlowLogAthena(
            "vpc-flow-logs-athena", athena_args(built.s3, options, storage, region_names)
        )
if settings.monitoring:
    from components.monitoring.component import FlowLogMonitoring, monitoring_args
    from components.monitoring.wiring import watched_delivery

    for region in regions:
        # Each region's log group, and at home the bucket the stack created.
        if watched := watched_delivery(built, storage, region):
            built.monitoring[region] = FlowLogMonitoring(
                region.resource_name("vpc-flow-logs-monitoring"),
                monitoring_args(settings.monitoring, region=region.override, **watched),
            )
if settings.repair_drift:
    from components.drift_repair.component import DriftRepair, drift_repair_args

    for region in regions:
        # Repairs deliver as the stack does: to the region's log group, else to the bucket.
        built.repair[region] = DriftRepair(
            region.resource_name("vpc-flow-logs-repair"),
            drift_repair_args(
                options, region.override, storage, **built.repair_destination(region)
            ),
        )
if settings.organization_wide:
    from components.organization.component import OrganizationFlowLogs, organization_args

    built.organization = OrganizationFlowLogs("vpc-flow-logs-org", organization_args(options))

freeze_long_lived_objects()
for name, value in stack_outputs(built).items():
    pulumi.export(name, value)
