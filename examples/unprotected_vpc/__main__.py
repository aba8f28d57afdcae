"""A VPC with no flow logs: `pulumi preview --policy-pack ../../policy` blocks it.

With ``pulumi config set attachFlowLogs true`` the VpcFlowLogs component from this repository is
attached to the VPC, and the same preview passes.
"""

import sys
from pathlib import Path

import pulumi
import pulumi_aws as aws

vpc = aws.ec2.Vpc(
    "main",
    cidr_block="10.0.0.0/16",
    enable_dns_hostnames=True,
    tags={"Name": "unprotected-vpc"},
)
pulumi.export("vpcId", vpc.id)

if pulumi.Config().get_bool("attachFlowLogs"):
    # The component lives at the root of this repository; a program elsewhere would install or
    # vendor the vpc-flow-logs package instead of reaching for it on the path.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from components import VpcFlowLogs, VpcFlowLogsArgs

    flow_logs = VpcFlowLogs("flow-logs", VpcFlowLogsArgs(vpc_ids={"main": vpc.id}))
    pulumi.export("flowLogIds", flow_logs.flow_log_ids)
