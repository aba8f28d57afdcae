"""Turn on VPC Flow Logs for the VPCs this stack's config selects, and watch them when asked."""

import pulumi

from components import FlowLogMonitoring, VpcFlowLogs, VpcFlowLogsArgs
from components.monitoring import monitoring_args
from components.settings import load_settings
from components.vpc_lookup import resolve_vpc_ids

settings = load_settings()
vpc_ids = resolve_vpc_ids(settings.selection)

flow_logs = VpcFlowLogs(
    "vpc-flow-logs",
    VpcFlowLogsArgs(vpc_ids={vpc_id: vpc_id for vpc_id in vpc_ids}, options=settings.options),
)

pulumi.export("vpcIds", flow_logs.vpc_ids)
pulumi.export("flowLogIds", flow_logs.flow_log_ids)
pulumi.export("logGroupName", flow_logs.log_group_name)
pulumi.export("logGroupArn", flow_logs.log_group_arn)
pulumi.export("roleArn", flow_logs.role_arn)
pulumi.export("kmsKeyArn", flow_logs.kms_key_arn)

if settings.monitoring:
    monitoring = FlowLogMonitoring(
        "vpc-flow-logs-monitoring", monitoring_args(settings.monitoring, flow_logs.log_group_name)
    )
    pulumi.export("alarmTopicArn", monitoring.alarm_topic_arn)
    pulumi.export("alarmNames", monitoring.alarm_names)
    pulumi.export("dashboardName", monitoring.dashboard_name)
