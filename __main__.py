"""Turn on VPC Flow Logs for the VPCs this stack's config selects."""

import pulumi

from components import FlowLogAthena, S3FlowLogs, VpcFlowLogs, VpcFlowLogsArgs
from components.athena import athena_args
from components.s3_delivery import s3_flow_logs_args
from components.settings import load_settings
from components.vpc_lookup import resolve_vpc_ids

settings = load_settings()
vpc_ids = {vpc_id: vpc_id for vpc_id in resolve_vpc_ids(settings.selection)}
storage = settings.storage

if storage.to_cloudwatch:
    flow_logs = VpcFlowLogs(
        "vpc-flow-logs", VpcFlowLogsArgs(vpc_ids=vpc_ids, options=settings.options)
    )
    pulumi.export("vpcIds", flow_logs.vpc_ids)
    pulumi.export("flowLogIds", flow_logs.flow_log_ids)
    pulumi.export("logGroupName", flow_logs.log_group_name)
    pulumi.export("logGroupArn", flow_logs.log_group_arn)
    pulumi.export("roleArn", flow_logs.role_arn)
    pulumi.export("kmsKeyArn", flow_logs.kms_key_arn)

if storage.to_s3:
    s3 = S3FlowLogs("vpc-flow-logs-s3", s3_flow_logs_args(vpc_ids, settings.options, storage))
    pulumi.export("vpcIds", s3.vpc_ids)
    pulumi.export("s3FlowLogIds", s3.flow_log_ids)
    pulumi.export("bucketName", s3.bucket_name)
    if storage.athena:
        athena = FlowLogAthena("vpc-flow-logs-athena", athena_args(s3, settings.options, storage))
        pulumi.export("athenaDatabase", athena.database_name)
        pulumi.export("athenaTable", athena.table_name)
        pulumi.export("athenaWorkgroup", athena.workgroup_name)
