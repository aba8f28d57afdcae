"""The drift-repair automation role's IAM documents, built as plain Python data.

Systems Manager assumes this role to run the stack's own repair document (``automation.py``) on
a VPC that AWS Config found without a flow log. The role may do exactly what that document
does: create the flow log, tag it as it is created, list the VPC's flow logs to see it exists,
and hand the flow-logs service its delivery role (CloudWatch) or set up the log delivery (S3).
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
            # The Name and stack tags are set by CreateFlowLogs itself (TagSpecifications); no
            # existing resource can be tagged.
            "Sid": "TagFlowLogsOnlyAsTheyAreCreated",
            "Effect": "Allow",
            "Action": "ec2:CreateTags",
            "Resource": f"{where}:vpc-flow-log/*",
            "Condition": {"StringEquals": {"ec2:CreateAction": "CreateFlowLogs"}},
        },
        {
            # The document's last step waits until the VPC lists its new flow log.
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
    """What the document needs to create a flow log into the stack's log group.

    ``iam:PassRole`` names exactly the delivery role and only the flow-logs service may receive
    it, so the automation cannot hand that role, or any other, to anything else. Nothing creates
    a log group: a repair can never make one without the stack's retention and encryption.
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


def s3_repair_policy(context: AwsContext) -> PolicyDocument:
    """What the document needs to create a flow log into the stack's bucket.

    Delivery to S3 is a vended-logs delivery: creating the flow log creates a log delivery,
    which needs ``logs:CreateLogDelivery`` and ``logs:DeleteLogDelivery`` (IAM authorises both
    only on ``*``). No role is passed, and the bucket itself is not touched: its policy, which
    the stack wrote, is what admits the delivery.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            *_flow_log_statements(context),
            {
                "Sid": "DeliverFlowLogsToS3",
                "Effect": "Allow",
                "Action": ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
                "Resource": "*",
            },
        ],
    }
