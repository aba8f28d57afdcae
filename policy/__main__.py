"""The vpc-flow-logs policy pack: requires VPC flow logs and checks how they are delivered.

Run it with ``pulumi preview --policy-pack policy [--policy-pack-config policy/config/prod.json]``.
The CLI starts this file with ``python -m pulumi.policy <engine> <pack dir>``; the policies
themselves live in ``flowlog_policies``, one module each.
"""

from flowlog_policies import POLICIES
from pulumi_policy import PolicyPack

PolicyPack(
    name="vpc-flow-logs",
    description=(
        "Every VPC has a VPC-level flow log (Security Hub EC2.6, CIS 3.9), delivered to a "
        "CloudWatch log group (with bounded retention and encryption, through a least-privilege "
        "IAM role) or to an S3 bucket whose lifecycle expires it."
    ),
    policies=POLICIES,
    provider="aws",
    tags=["aws", "vpc", "flow-logs", "security"],
)
