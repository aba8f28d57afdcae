"""The ``FlowLogMonitoring`` component: alarms, saved queries and a dashboard on a flow log."""

# No `from __future__ import annotations` here: it would hide the args' real annotations from
# Pulumi's schema analyzer.

import json
from collections.abc import Mapping, Sequence
from typing import Required, TypedDict

import pulumi
import pulumi_aws as aws

from components.alarm_documents import alarm_topic_key_policy, alarm_topic_policy
from components.flow_logs import COMPONENT_PACKAGE, KEY_TAG
from components.iam import AwsContext
from components.metric_filters import (
    ADMIN_PORT_PROBES,
    EGRESS_BYTES,
    KNOWN_BAD_FIELDS,
    KNOWN_BAD_METRIC,
    REJECTED,
    Detection,
    pack_known_bad,
)
from components.monitoring_settings import (
    MonitoringSettings,
    active_detections,
    known_bad_budget,
    skipped_alarms,
)
from components.monitoring_views import dashboard_body, saved_queries

MONITORING_TYPE = f"{COMPONENT_PACKAGE}:index:FlowLogMonitoring"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
DELIVERY_METRIC_NAMESPACE = "AWS/Logs"
DELIVERY_METRIC = "IncomingLogEvents"


class FlowLogMonitoringArgs(TypedDict, total=False):
    """What FlowLogMonitoring watches, and how. Each threshold, the band and the minutes take 0
    to turn that alarm off."""

    log_group_name: Required[pulumi.Input[str]]
    """The CloudWatch Logs group the flow logs deliver to. Required."""
    log_format: Sequence[str]
    """Record fields in order, as the flow logs write them. Defaults to AWS's default (version
    2) format."""
    alarm_emails: Sequence[str]
    """Email addresses subscribed to the alarm topic; each must confirm. Defaults to none."""
    alarm_topic_arn: pulumi.Input[str]
    """An existing SNS topic for the alarms; then no topic is created. Excludes alarm_emails.
    Defaults to none: the component creates a KMS-encrypted topic."""
    rejected_threshold: int
    """REJECT records in 5 minutes that raise the rejected-connections alarm. Defaults to 1000."""
    admin_port_threshold: int
    """Rejected TCP connections to port 22 or 3389 in an hour that raise the admin-port alarm.
    Defaults to 10."""
    egress_anomaly_band: int
    """Width, in standard deviations, of the anomaly band on outbound bytes. Defaults to 3."""
    known_bad_addresses: Sequence[str]
    """IPv4 addresses and CIDR blocks; any record from or to one raises the known-bad alarm.
    Defaults to none."""
    delivery_stopped_minutes: int
    """Minutes without records that raise the delivery-stopped alarm. Defaults to 30."""
    metric_namespace: str
    """The CloudWatch namespace of the filters' metrics, unique to this log group in the account
    and region. Defaults to ``VPCFlowLogs/<stack>/<component name>``."""
    dashboard_name: str
    """The dashboard's name, unique in the account; the saved queries are filed under it too.
    Defaults to ``<component name>-<stack>``."""
    tags: Mapping[str, str]
    """Tags for every resource created. Defaults to none."""


class FlowLogMonitoring(pulumi.ComponentResource):
    """Security monitoring on a VPC flow-log group.

    Metric filters generated from the log's own format count rejected records, admin-port
    probes, egress bytes and records from or to known-bad addresses; CloudWatch alarms on them,
    and on the group's own delivery metric, notify one SNS topic on ALARM and on OK. Saved Logs
    Insights queries and a dashboard show what happened.
    """

    alarm_topic_arn: pulumi.Output[str]
    """The topic every alarm notifies."""
    alarm_names: pulumi.Output[list[str]]
    """The names of the alarms created."""
    dashboard_name: pulumi.Output[str]
    """The dashboard's name."""

    def __init__(
        self,
        name: str,
        args: FlowLogMonitoringArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Validate before registering anything: a bad argument leaves nothing half-created.
        settings = MonitoringSettings.from_args(args)
        super().__init__(MONITORING_TYPE, name, None, opts)
        for warning in skipped_alarms(settings):
            pulumi.log.warn(warning, resource=self)

        context = _aws_context(pulumi.InvokeOptions(parent=self))
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(settings.tags)
        fields = settings.fields
        group = args["log_group_name"]
        # Two stacks in one account must not share metrics (their alarms would add up each
        # other's records) or a dashboard (the second would overwrite the first).
        stack = pulumi.get_stack()
        namespace = settings.metric_namespace or f"VPCFlowLogs/{stack}/{name}"
        label = settings.dashboard_name or f"{name}-{stack}"

        topic_arn = self._topic(name, args.get("alarm_topic_arn"), settings, context)

        def metric_filter(key: str, detection_pattern: str, metric: str, value: str) -> None:
            aws.cloudwatch.LogMetricFilter(
                f"{name}-{key}",
                name=f"{name}-{key}",
                log_group_name=group,
                pattern=detection_pattern,
                metric_transformation={"name": metric, "namespace": namespace, "value": value},
                opts=child,
            )

        detections = active_detections(settings)
        for detection in detections:
            metric_filter(
                detection.key,
                detection.pattern(fields),
                detection.metric_name,
                detection.metric_value,
            )
        known_bad = bool(settings.known_bad_addresses) and all(
            f in fields for f in KNOWN_BAD_FIELDS
        )
        if known_bad:
            packing = pack_known_bad(
                settings.known_bad_addresses, fields, known_bad_budget(settings)
            )
            for field, patterns in packing.patterns.items():
                for index, known_bad_pattern in enumerate(patterns, start=1):
                    metric_filter(
                        f"known-bad-{field}-{index}", known_bad_pattern, KNOWN_BAD_METRIC, "1"
                    )

        # Every alarm notifies the topic when it fires and when it clears.
        actions = [topic_arn]
        alarms: list[aws.cloudwatch.MetricAlarm] = []

        def count_alarm(
            detection: Detection | None,
            metric: str,
            key: str,
            threshold: int,
            period: int,
            what: str,
        ) -> None:
            if detection is not None and detection not in detections:
                return
            alarms.append(
                aws.cloudwatch.MetricAlarm(
                    f"{name}-{key}",
                    alarm_description=what,
                    namespace=namespace,
                    metric_name=metric,
                    statistic="Sum",
                    period=period,
                    evaluation_periods=1,
                    threshold=threshold,
                    comparison_operator="GreaterThanOrEqualToThreshold",
                    treat_missing_data="notBreaching",
                    alarm_actions=actions,
                    ok_actions=actions,
                    tags=tags,
                    opts=child,
                )
            )

        if settings.rejected_threshold > 0:
            count_alarm(
                REJECTED,
                REJECTED.metric_name,
                "rejected-connections",
                settings.rejected_threshold,
                300,
                f"{settings.rejected_threshold} or more rejected flow-log records in 5 minutes: "
                "a scan, or a misconfigured security group or network ACL.",
            )
        if settings.admin_port_threshold > 0:
            count_alarm(
                ADMIN_PORT_PROBES,
                ADMIN_PORT_PROBES.metric_name,
                "admin-port-probes",
                settings.admin_port_threshold,
                3600,
                f"{settings.admin_port_threshold} or more rejected TCP connections to SSH (22) "
                "or RDP (3389) in an hour: someone is probing for remote administration.",
            )
        if known_bad:
            count_alarm(
                None,
                KNOWN_BAD_METRIC,
                "known-bad-addresses",
                1,
                300,
                "Traffic from or to an address on the known-bad list (knownBadAddresses).",
            )
        if settings.egress_anomaly_band > 0 and EGRESS_BYTES in detections:
            band_expression = f"ANOMALY_DETECTION_BAND(m1, {settings.egress_anomaly_band})"
            alarms.append(
                aws.cloudwatch.MetricAlarm(
                    f"{name}-unusual-egress",
                    alarm_description=(
                        "Outbound bytes above the band CloudWatch expects from their history "
                        f"({settings.egress_anomaly_band} standard deviations): possible "
                        "exfiltration, or a new workload."
                    ),
                    comparison_operator="GreaterThanUpperThreshold",
                    evaluation_periods=2,
                    threshold_metric_id="ad1",
                    treat_missing_data="notBreaching",
                    metric_queries=[
                        {
                            "id": "m1",
                            "return_data": True,
                            "metric": {
                                "namespace": namespace,
                                "metric_name": EGRESS_BYTES.metric_name,
                                "period": 300,
                                "stat": "Sum",
                            },
                        },
                        {
                            "id": "ad1",
                            "expression": band_expression,
                            "label": "Expected egress bytes",
                            "return_data": True,
                        },
                    ],
                    alarm_actions=actions,
                    ok_actions=actions,
                    tags=tags,
                    opts=child,
                )
            )
        if settings.delivery_stopped_minutes > 0:
            minutes = settings.delivery_stopped_minutes
            alarms.append(
                aws.cloudwatch.MetricAlarm(
                    f"{name}-delivery-stopped",
                    alarm_description=(
                        f"No flow-log records for {minutes} minutes: a flow log was deleted, "
                        "its role lost its permissions, or the log group was replaced."
                    ),
                    namespace=DELIVERY_METRIC_NAMESPACE,
                    metric_name=DELIVERY_METRIC,
                    dimensions={"LogGroupName": group},
                    statistic="Sum",
                    period=60,
                    evaluation_periods=minutes,
                    datapoints_to_alarm=minutes,
                    threshold=1,
                    comparison_operator="LessThanThreshold",
                    # No datapoint is exactly what a stopped delivery looks like.
                    treat_missing_data="breaching",
                    alarm_actions=actions,
                    ok_actions=actions,
                    tags=tags,
                    opts=child,
                )
            )

        for query in saved_queries(fields):
            aws.cloudwatch.QueryDefinition(
                f"{name}-{query.key}",
                name=f"{label}/{query.title}",
                log_group_names=[group],
                query_string=query.query_string(fields),
                opts=child,
            )

        metrics = [d.metric_name for d in detections]
        band = settings.egress_anomaly_band
        dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=label,
            dashboard_body=pulumi.Output.all(
                pulumi.Output.from_input(group), *(a.arn for a in alarms)
            ).apply(
                lambda values: json.dumps(
                    dashboard_body(
                        region=context.region,
                        namespace=namespace,
                        metrics=metrics,
                        egress_band=band,
                        alarm_arns=values[1:],
                        log_group_name=values[0],
                        fields=fields,
                    )
                )
            ),
            opts=child,
        )

        self.alarm_topic_arn = topic_arn
        self.alarm_names = pulumi.Output.all(*(a.name for a in alarms))
        self.dashboard_name = dashboard.dashboard_name
        self.register_outputs(
            {
                "alarmTopicArn": self.alarm_topic_arn,
                "alarmNames": self.alarm_names,
                "dashboardName": self.dashboard_name,
            }
        )

    def _topic(
        self,
        name: str,
        existing: pulumi.Input[str] | None,
        settings: MonitoringSettings,
        context: AwsContext,
    ) -> pulumi.Output[str]:
        """The topic the alarms notify: the one given, or a new encrypted one with subscribers."""
        if existing:
            return pulumi.Output.from_input(existing)
        child = pulumi.ResourceOptions(parent=self)
        # CloudWatch cannot publish to a topic under the AWS-managed alias/aws/sns key: the
        # notification would be silently lost. So the topic gets a key CloudWatch may use.
        key = aws.kms.Key(
            f"{name}-topic-key",
            description=f"Encrypts the alarm topic of {name}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=json.dumps(alarm_topic_key_policy(context)),
            # The deployer policy (deploy/deployer-policy.json) manages only keys with this tag.
            tags={**settings.tags, KEY_TAG: COMPONENT_PACKAGE},
            opts=child,
        )
        topic = aws.sns.Topic(
            f"{name}-alarms", kms_master_key_id=key.arn, tags=dict(settings.tags), opts=child
        )
        aws.sns.TopicPolicy(
            f"{name}-alarms-policy",
            arn=topic.arn,
            policy=topic.arn.apply(lambda arn: json.dumps(alarm_topic_policy(context, arn))),
            opts=child,
        )
        for email in settings.alarm_emails:
            aws.sns.TopicSubscription(
                f"{name}-email-{email}",
                topic=topic.arn,
                protocol="email",
                endpoint=email,
                opts=child,
            )
        return topic.arn


def monitoring_args(
    settings: MonitoringSettings, log_group_name: pulumi.Input[str]
) -> FlowLogMonitoringArgs:
    """The component's args for settings read from a stack's config."""
    args = FlowLogMonitoringArgs(
        log_group_name=log_group_name,
        log_format=list(settings.log_format),
        alarm_emails=list(settings.alarm_emails),
        rejected_threshold=settings.rejected_threshold,
        admin_port_threshold=settings.admin_port_threshold,
        egress_anomaly_band=settings.egress_anomaly_band,
        known_bad_addresses=list(settings.known_bad_addresses),
        delivery_stopped_minutes=settings.delivery_stopped_minutes,
        tags=dict(settings.tags),
    )
    if settings.alarm_topic_arn is not None:
        args["alarm_topic_arn"] = settings.alarm_topic_arn
    if settings.metric_namespace is not None:
        args["metric_namespace"] = settings.metric_namespace
    if settings.dashboard_name is not None:
        args["dashboard_name"] = settings.dashboard_name
    return args


def _aws_context(opts: pulumi.InvokeOptions) -> AwsContext:
    """Account, region and partition from the provider this component deploys with."""
    identity = aws.get_caller_identity(opts=opts)
    partition = aws.get_partition(opts=opts)
    return AwsContext(
        account_id=identity.account_id,
        region=aws.get_region(opts=opts).region,
        partition=partition.partition,
        dns_suffix=partition.dns_suffix,
    )
