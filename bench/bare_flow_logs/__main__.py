"""Baseline for ``bench.program_bench``: one ``aws.ec2.FlowLog`` per VPC that ``get_vpcs`` finds,
and nothing else.

No component, no log group or role, no exports: each covered region's VPCs are looked up (the
regions arrive in config as ``bench:regions``, a JSON list; empty means the provider's own) and
each gets a flow log with the inputs the ``VpcFlowLogs`` component gives its flow logs in the dev
stack, to fixed destination and role ARNs. Timing this against the real program isolates what the
program adds per VPC and per run.
"""

import json

import pulumi
import pulumi_aws as aws

regions: list[str | None] = json.loads(pulumi.Config("bench").get("regions") or "[]") or [None]
home = regions[0]

# Literal stand-ins for the log group's and role's ARNs, which the real program gets as Outputs.
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
ROLE_ARN = "arn:aws:iam::123456789012:role/bench-flow-logs"
TAGS = {"environment": "dev", "owner": "network-security", "Name": "ASG-VPC-FlowLogs"}

for region in regions:
    for vpc_id in aws.ec2.get_vpcs(region=region).ids:
        aws.ec2.FlowLog(
            f"bare-{vpc_id}",
            vpc_id=vpc_id,
            # The home region's flow logs take no region argument, as in the program.
            region=None if region == home else region,
            traffic_type="ALL",
            max_aggregation_interval=60,
            log_destination_type="cloud-watch-logs",
            log_destination=LOG_GROUP_ARN,
            iam_role_arn=ROLE_ARN,
            tags=TAGS,
        )
