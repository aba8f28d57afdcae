"""The drift-repair automation role's IAM documents, built as plain Python data.

Systems Manager assumes this role to run ``AWSSupport-EnableVPCFlowLogs`` on a VPC that AWS
Config found without a flow log. The runbook's own sample policy grants far more (creating and
deleting IAM roles and policies, deleting log groups and flow logs): those serve branches this
stack never takes (a log group or delivery role created by the runbook). What the role may do
here is only what repairing one VPC into the stack's own destination needs.
"""

from __future__ import annotations

from components.aws_context import AwsContext, PolicyDocument
from components.flow_logs.documents import FLOW_LOGS_SERVICE

SSM_SERVICE = "ssm.amazonaws.com"
"""The service principal Systems Manager Automation assumes roles as."""


def automation_trust_policy(context: AwsContext) -> PolicyDocument:
    """Only Systems Manager may assume the role, and only on behalf of this account.

    ``aws:SourceAccount`` stops Systems Manager from being used as a confused deputy by an
    automation started in another account.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowSystemsManagerAutomation",
                "Effect": "Allow",
                "Principal": {"Service": SSM_SERVICE},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
            }
        ],
    }


def _flow_log_statements(context: AwsContext) -> list[dict[str, object]]:
    where = f"arn:{context.partition}:ec2:{context.region}:{context.account_id}"
    return [
        {
            # CreateFlowLogs is authorised against the VPC and the new flow log alike.
            "Sid": "CreateFlowLogsOnThisRegionsVpcs",
            "Effect": "Allow",
            "Action": "ec2:CreateFlowLogs",
            "Resource": [f"{where}:vpc/*", f"{where}:vpc-flow-log/*"],
        },
        {
            # DescribeFlowLogs has no resource-level permissions; the region is what can be
            # narrowed.
            "Sid": "DescribeFlowLogsInThisRegion",
            "Effect": "Allow",
            "Action": "ec2:DescribeFlowLogs",
            "Resource": "*",
            "Condition": {"StringEquals": {"ec2:Region": context.region}},
        },
    ]


def cloudwatch_repair_policy(context: AwsContext, delivery_role_arn: str) -> PolicyDocument:
    """What the runbook needs to create a flow log into an existing log group.

    ``iam:PassRole`` names exactly the delivery role and only the flow-logs service may receive
    it, so the automation cannot hand that role, or any other, to anything else. The runbook
    creates a log group only when no ``LogDestinationARN`` is given, which this stack always
    gives, so ``logs:CreateLogGroup`` is not granted: a repair can never make a log group
    without the stack's retention and encryption.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            *_flow_log_statements(context),
            {
                "Sid": "PassTheDeliveryRoleToFlowLogsOnly",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": delivery_role_arn,
                "Condition": {"StringEquals": {"iam:PassedToService": FLOW_LOGS_SERVICE}},
            },
        ],
    }


def s3_repair_policy(context: AwsContext, bucket_arn: str) -> PolicyDocument:
    """What the runbook needs to create a flow log into an S3 bucket.

    The runbook first checks that the bucket is not public (its ACL, policy status and public
    access blocks), then creates the flow log; delivery to S3 is a vended-logs delivery, which
    needs ``logs:CreateLogDelivery``. Neither that nor ``s3:GetAccountPublicAccessBlock`` has
    resource-level permissions. No role is passed.
    """
    bucket = bucket_arn.split("/", 1)[0]
    return {
        "Version": "2012-10-17",
        "Statement": [
            *_flow_log_statements(context),
            {
                "Sid": "CheckTheBucketIsNotPublic",
                "Effect": "Allow",
                "Action": [
                    "s3:GetBucketAcl",
                    "s3:GetBucketLocation",
                    "s3:GetBucketPolicyStatus",
                    "s3:GetBucketPublicAccessBlock",
                ],
                "Resource": bucket,
            },
            {
                "Sid": "CheckTheAccountsPublicAccessBlock",
                "Effect": "Allow",
                "Action": "s3:GetAccountPublicAccessBlock",
                "Resource": "*",
            },
            {
                "Sid": "DeliverFlowLogsToS3",
                "Effect": "Allow",
                "Action": "logs:CreateLogDelivery",
                "Resource": "*",
            },
        ],
    }
