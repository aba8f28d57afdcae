"""The drift-repair automation role's IAM documents, built as plain Python data.

Systems Manager assumes this role to run the stack's own repair document (``automation.py``) on
a VPC that AWS Config found without a flow log. The role may do exactly what that document
does: create the flow logs, tag them as they are created, list the VPC's flow logs to see them
active, and hand the flow-logs service its delivery role (CloudWatch), set up the log delivery
(S3), or both.
"""

from __future__ import annotations

from components.aws_context import AwsContext, PolicyDocument
from components.flow_logs.documents import FLOW_LOGS_SERVICE
from components.statements import (
    policy_document,
    service_principal,
    source_conditions,
    trust_statement,
)

SSM_SERVICE = "ssm.amazonaws.com"
"""The service principal Systems Manager Automation assumes roles as."""


def automation_execution_arn(context: AwsContext) -> str:
    """Every Automation execution of this account in this region, as ``aws:SourceArn`` names
    the execution on whose behalf Systems Manager assumes a role."""
    return (
        f"arn:{context.partition}:ssm:{context.region}:{context.account_id}:automation-execution/*"
    )


def automation_trust_policy(context: AwsContext) -> PolicyDocument:
    """Only Systems Manager may assume the role, and only for this account's Automation
    executions in this region.

    ``aws:SourceAccount`` and ``aws:SourceArn`` stop Systems Manager from being used as a
    confused deputy by an automation started in another account. The form is AWS's own for
    Automation's service role (AWS Systems Manager User Guide, "Cross-service confused deputy
    prevention": docs.aws.amazon.com/systems-manager/latest/userguide/
    cross-service-confused-deputy-prevention.html), with this region in place of its ``*``: the
    remediation runs the document in the region where the rule found the VPC.
    """
    return policy_document(
        trust_statement(
            "AllowSystemsManagerAutomation",
            service_principal(SSM_SERVICE),
            source_conditions(context.account_id, automation_execution_arn(context)),
        )
    )


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


def repair_policy(
    context: AwsContext, *, delivery_role_arn: str | None = None, to_s3: bool = False
) -> PolicyDocument:
    """What the document needs to create the stack's flow logs: into its log group when
    ``delivery_role_arn`` is given, into its bucket when ``to_s3``, or both.

    CloudWatch: ``iam:PassRole`` names exactly the delivery role and only the flow-logs service
    may receive it, so the automation cannot hand that role, or any other, to anything else.
    Nothing creates a log group: a repair can never make one without the stack's retention and
    encryption.

    S3: delivery to S3 is a vended-logs delivery: creating the flow log creates a log delivery,
    which needs ``logs:CreateLogDelivery`` and ``logs:DeleteLogDelivery`` (IAM authorises both
    only on ``*``). No role is passed, and the bucket itself is not touched: its policy, which
    the stack wrote, is what admits the delivery.
    """
    if delivery_role_arn is None and not to_s3:
        raise ValueError("a repair delivers to a log group, a bucket, or both")
    statements = _flow_log_statements(context)
    if delivery_role_arn is not None:
        statements.append(
            {
                "Sid": "PassTheDeliveryRoleToFlowLogsOnly",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": delivery_role_arn,
                "Condition": {"StringEquals": {"iam:PassedToService": FLOW_LOGS_SERVICE}},
            }
        )
    if to_s3:
        statements.append(
            {
                "Sid": "DeliverFlowLogsToS3",
                "Effect": "Allow",
                "Action": ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
                "Resource": "*",
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
