"""Turn on VPC Flow Logs for the VPCs this stack's config selects."""

from dataclasses import replace

import pulumi

from components import VpcFlowLogs
from components.flow_logs import flow_log_args
from components.settings import load_settings
from components.vpc_lookup import resolve_vpc_ids

settings = load_settings()
targets = replace(settings.targets, vpc_ids=resolve_vpc_ids(settings.selection))

flow_logs = VpcFlowLogs("vpc-flow-logs", flow_log_args(targets, settings.options))

pulumi.export("vpcIds", flow_logs.vpc_ids)
pulumi.export("flowLogIds", flow_logs.flow_log_ids)
pulumi.export("targetFlowLogIds", flow_logs.target_flow_log_ids)
pulumi.export("logGroupName", flow_logs.log_group_name)
pulumi.export("logGroupArn", flow_logs.log_group_arn)
pulumi.export("roleArn", flow_logs.role_arn)
pulumi.export("kmsKeyArn", flow_logs.kms_key_arn)
