"""Turn on VPC Flow Logs for the VPCs this stack's config selects."""

import pulumi

from components import VpcFlowLogs
from components.drift_repair import DriftRepair, drift_repair_args
from components.flow_logs import flow_log_args
from components.organization import OrganizationFlowLogs, organization_args
from components.settings import load_settings
from components.vpc_lookup import resolve_vpc_ids

settings = load_settings()
vpc_ids = resolve_vpc_ids(settings.selection)

flow_logs = VpcFlowLogs(
    "vpc-flow-logs", flow_log_args({vpc_id: vpc_id for vpc_id in vpc_ids}, settings.options)
)

pulumi.export("vpcIds", flow_logs.vpc_ids)
pulumi.export("flowLogIds", flow_logs.flow_log_ids)
pulumi.export("logGroupName", flow_logs.log_group_name)
pulumi.export("logGroupArn", flow_logs.log_group_arn)
pulumi.export("roleArn", flow_logs.role_arn)
pulumi.export("kmsKeyArn", flow_logs.kms_key_arn)

if settings.repair_drift:
    repair = DriftRepair(
        "vpc-flow-logs-repair",
        drift_repair_args(flow_logs.log_group_arn, flow_logs.role_arn, settings.options),
    )
    pulumi.export("driftRepairRuleName", repair.config_rule_name)
if settings.organization_wide:
    organization = OrganizationFlowLogs("vpc-flow-logs-org", organization_args(settings.options))
    pulumi.export("organizationRuleArn", organization.rule_arn)
