"""The SNS topic every alarm of a ``FlowLogMonitoring`` notifies, with its key and subscribers."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.aws_context import AwsContext
from components.flow_logs.component import COMPONENT_PACKAGE, KEY_TAG
from components.monitoring.documents import alarm_topic_key_policy, alarm_topic_policy
from components.monitoring.settings import MonitoringSettings


def alarm_topic(
    name: str,
    existing: pulumi.Input[str] | None,
    settings: MonitoringSettings,
    context: AwsContext,
    region: str | None,
    parent: pulumi.Resource,
) -> pulumi.Output[str]:
    """The topic the alarms notify: the one given, or a new encrypted one with subscribers,
    created as ``parent``'s children in ``region``."""
    if existing:
        return pulumi.Output.from_input(existing)
    child = pulumi.ResourceOptions(parent=parent)
    # CloudWatch cannot publish to a topic under the AWS-managed alias/aws/sns key: the
    # notification would be silently lost. So the topic gets a key CloudWatch may use.
    key = aws.kms.Key(
        f"{name}-topic-key",
        region=region,
        description=f"Encrypts the alarm topic of {name}",
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=json.dumps(alarm_topic_key_policy(context)),
        # The deployer policy (deploy/deployer-policy.json) manages only keys with this tag.
        tags={**settings.tags, KEY_TAG: COMPONENT_PACKAGE},
        opts=child,
    )
    topic = aws.sns.Topic(
        f"{name}-alarms",
        region=region,
        kms_master_key_id=key.arn,
        tags=dict(settings.tags),
        opts=child,
    )
    aws.sns.TopicPolicy(
        f"{name}-alarms-policy",
        region=region,
        arn=topic.arn,
        policy=topic.arn.apply(lambda arn: json.dumps(alarm_topic_policy(context, arn))),
        opts=child,
    )
    for email in settings.alarm_emails:
        aws.sns.TopicSubscription(
            f"{name}-email-{email}",
            region=region,
            topic=topic.arn,
            protocol="email",
            endpoint=email,
            opts=child,
        )
    return topic.arn
