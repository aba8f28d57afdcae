"""Baseline for ``bench.program_bench``: one ``aws.ec2.FlowLog`` per VPC and nothing else.

No component, no log group or role, no lookups: the VPC ids arrive in config (``bench:vpcIds``,
a JSON list, and optionally ``bench:regions``, each VPC's region in the same order) and the
destination and role are fixed ARNs. Each flow log takes the same inputs
the ``VpcFlowLogs`` component gives its flow logs in the dev stack, so timing this against the
real program isolates what the component and its lookups cost per VPC.
"""

import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config("bench")
vpc_ids: list[str] = json.loads(config.require("vpcIds"))
regions: list[str | None] = json.loads(config.get("regions") or "null") or [None] * len(vpc_ids)

# Literal stand-ins for the log group's and role's ARNs, which the real program gets as Outputs.
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
ROLE_ARN = "arn:aws:iam::123456789012:role/bench-flow-logs"
TAGS = {"environment": "dev", "owner": "network-security", "Name": "ASG-VPC-FlowLogs"}

flow_logs = [
    aws.ec2.FlowLog(
        f"bare-{vpc_id}",
        vpc_id=vpc_id,
        region=region,
        traffic_type="ALL",
        max_aggregation_interval=60,
        log_destination_type="cloud-watch-logs",
        log_destination=LOG_GROUP_ARN,
        iam_role_arn=ROLE_ARN,
        tags=TAGS,
    )
    for vpc_id, region in zip(vpc_ids, regions, strict=True)
]

pulumi.export("flowLogIds", pulumi.Output.all(*(f.id for f in flow_logs)))
