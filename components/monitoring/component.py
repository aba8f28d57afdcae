"""The ``FlowLogMonitoring`` component: alarms, saved queries and a dashboard on a flow log."""

# No `from __future__ import annotations` here: it would hide the args' real annotations from
# Pulumi's schema analyzer.

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import pulumi
import pulumi_aws as aws

from components.aws_context import aws_context
from components.config import raise_if
from components.flow_logs.component import COMPONENT_PACKAGE
from components.monitoring.egress import EGRESS_BYTES
from components.monitoring.metric_filters import (
    ADMIN_PORT_PROBES,
    KNOWN_BAD_FIELDS,
    KNOWN_BAD_METRIC,
    REJECTED,
    pack_known_bad,
)
from components.monitoring.receivers import placeholder_warnings
from components.monitoring.s3_delivery import (
    delivery_stopped_alarm,
    delivery_watches,
    missing_data_alarm,
    request_metrics,
)
from components.monitoring.settings import (
    MonitoringSettings,
    active_detections,
    known_bad_budget,
    record_alarms_skipped,
    skipped_alarms,
)
from components.monitoring.topic import alarm_topic
from components.monitoring.wiring import monitoring_args

__all__ = ["MONITORING_TYPE", "FlowLogMonitoring", "FlowLogMonitoringArgs", "monitoring_args"]
from components.monitoring.views import dashboard_body, saved_queries
from components.regions import region_problems

MONITORING_TYPE = f"{COMPONENT_PACKAGE}:index:FlowLogMonitoring"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
DELIVERY_METRIC_NAMESPACE = "AWS/Logs"
DELIVERY_METRIC = "IncomingLogEvents"


class FlowLogMonitoringArgs(TypedDict, total=False):
    """What FlowLogMonitoring watches, and how. Each threshold, the band and the minutes take 0
    to turn that alarm off."""

    log_group_name: pulumi.Input[str]
    """The CloudWatch Logs group the flow logs deliver to: the alarms on records, the saved
    queries and the delivery-stopped alarm watch it. Give it, ``s3BucketName``, or both.
    Defaults to none."""
    s3_bucket_name: pulumi.Input[str]
    """A bucket the flow logs deliver to, in ``region``: a request-metrics configuration on
    their folder and an alarm on its ``PutRequests`` watch that delivery. Give it only for a
    bucket you own (its metrics configurations are changed). Defaults to none."""
    s3_prefix: str
    """The folder the flow logs write under in that bucket (their destination's ``/prefix``),
    without ``AWSLogs``. Defaults to none: the bucket's root."""
    s3_account_folders: Mapping[str, str]
    """In an archive, each watched account's folder, by account: a configuration and an alarm
    each, instead of one for the bucket. Defaults to none."""
    s3_transit_gateways: bool
    """Whether transit gateways' flow logs deliver to that bucket too, under
    ``<s3Prefix>/transit-gateways/``: a metrics configuration and an alarm of their own watch
    them. Defaults to false."""
    region: str
    """The log group's and bucket's region, where every filter, alarm, query, the dashboard and
    the topic are created (an alarm can only notify a topic in its own region). Defaults to
    the provider's region."""
    log_format: Sequence[str]
    """Record fields in order, as the flow logs write them. Defaults to AWS's default (version
    2) format."""
    alarm_emails: Sequence[str]
    """Email addresses subscribed to the alarm topic; each must confirm. Defaults to none."""
    alarm_topic_arn: pulumi.Input[str]
    """An existing SNS topic for the alarms; then no topic is created. Excludes ``alarmEmails``.
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
    """Minutes without records in the log group, or without a write to the bucket, that raise
    the delivery-stopped alarms. Defaults to 30."""
    metric_namespace: str
    """The CloudWatch namespace of the filters' metrics, unique to this log group in the account
    and region. Defaults to ``VPCFlowLogs/<stack>/<component name>``."""
    dashboard_name: str
    """The dashboard's name, unique in the account; the saved queries are filed under it too.
    Defaults to ``<component name>-<stack>``."""
    tags: Mapping[str, str]
    """Tags for every resource created. Defaults to none."""
    centralized: bool
    """Whether the log group holds the organisation's centralized records: the saved queries
    then add the top accounts and regions (``@aws.account``, ``@aws.region``) by rejected
    flows, bytes to the internet and admin-port probes. Defaults to false."""


class FlowLogMonitoring(pulumi.ComponentResource):
    """Security monitoring on a VPC flow-log group.

    Metric filters generated from the log's own format count rejected records, admin-port
    probes, bytes to the internet and records from or to known-bad addresses; CloudWatch alarms
    on them, on the group's own delivery metric and on writes to the flow logs' bucket notify
    one SNS topic on ALARM and on OK. Saved Logs Insights queries and a dashboard show what
    happened. Without a log group, only delivery to the bucket is watched.
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
        region = args.get("region")
        raise_if(region_problems([region], "region") if region else [])
        super().__init__(MONITORING_TYPE, name, None, opts)
        group = args.get("log_group_name") or None
        bucket = args.get("s3_bucket_name") or None
        # Without a log group the record alarms are skipped together, with one warning.
        warnings = skipped_alarms(settings) if group else [record_alarms_skipped(settings)]
        warnings += placeholder_warnings(settings.alarm_emails)
        for warning in filter(None, warnings):
            pulumi.log.warn(warning, resource=self)

        context = aws_context(pulumi.InvokeOptions(parent=self), region)
        self._region = region
        # Two stacks in one account must not share metrics (their alarms would add up each
        # other's records) or a dashboard (the second would overwrite the first).
        stack = pulumi.get_stack()
        namespace = settings.metric_namespace or f"VPCFlowLogs/{stack}/{name}"
        label = settings.dashboard_name or f"{name}-{stack}"

        topic_arn = alarm_topic(name, args.get("alarm_topic_arn"), settings, context, region, self)
        metrics = self._metric_filters(name, group, namespace, settings) if group else []
        alarms = self._alarms(name, group, namespace, settings, metrics, topic_arn)
        minutes = settings.delivery_stopped_minutes
        prefix, folders = args.get("s3_prefix") or "", args.get("s3_account_folders")
        if bucket is not None and minutes > 0:
            gateways = bool(args.get("s3_transit_gateways"))
            for watch in delivery_watches(name, prefix, folders, gateways):
                metrics_id = request_metrics(watch.name, bucket, watch.key_prefix, region, self)
                stopped = delivery_stopped_alarm(metrics_id.bucket, metrics_id.name, minutes)
                text = watch.description(minutes)
                alarms.append(self._alarm(watch.alarm_name, text, settings, topic_arn, **stopped))
        groups = [group] if group is not None else []
        organization = bool(args.get("centralized"))
        for query in saved_queries(settings.fields, organization=organization) if groups else ():
            aws.cloudwatch.QueryDefinition(
                f"{name}-{query.key}",
                region=self._region,
                name=f"{label}/{query.title}",
                log_group_names=groups,
                query_string=query.query_string(settings.fields),
                opts=pulumi.ResourceOptions(parent=self),
            )
        dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            region=self._region,
            dashboard_name=label,
            dashboard_body=pulumi.Output.all(
                pulumi.Output.from_input(group), *(a.arn for a in alarms)
            ).apply(
                lambda values: json.dumps(
                    dashboard_body(
                        region=context.region,
                        namespace=namespace,
                        metrics=metrics,
                        egress_band=settings.egress_anomaly_band,
                        alarm_arns=values[1:],
                        log_group_name=values[0],
                        fields=settings.fields,
                    )
                )
            ),
            opts=pulumi.ResourceOptions(parent=self),
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

    def _metric_filters(
        self,
        name: str,
        group: pulumi.Input[str],
        namespace: str,
        settings: MonitoringSettings,
    ) -> list[str]:
        """The metric filters, generated from the format; returns the metrics they publish."""
        fields = settings.fields
        published: list[str] = []

        def metric_filter(key: str, pattern: str, metric: str, value: str) -> None:
            aws.cloudwatch.LogMetricFilter(
                f"{name}-{key}",
                region=self._region,
                name=f"{name}-{key}",
                log_group_name=group,
                pattern=pattern,
                metric_transformation={"name": metric, "namespace": namespace, "value": value},
                opts=pulumi.ResourceOptions(parent=self),
            )
            if metric not in published:
                published.append(metric)

        for detection in active_detections(settings):
            # A detection spread over several filters: they publish to one metric, and the
            # first keeps the detection's own name.
            for index, pattern in enumerate(detection.patterns(fields), start=1):
                metric_filter(
                    detection.key if index == 1 else f"{detection.key}-{index}",
                    pattern,
                    detection.metric_name,
                    detection.value_for(fields),
                )
        if settings.known_bad_addresses and all(f in fields for f in KNOWN_BAD_FIELDS):
            packing = pack_known_bad(
                settings.known_bad_addresses, fields, known_bad_budget(settings)
            )
            # Source and destination need filters of their own: a condition may only test its
            # own slot's field. Both publish to the same metric.
            for field, patterns in packing.patterns.items():
                for index, pattern in enumerate(patterns, start=1):
                    metric_filter(f"known-bad-{field}-{index}", pattern, KNOWN_BAD_METRIC, "1")
        return published

    def _alarm(
        self,
        resource_name: str,
        description: str,
        settings: MonitoringSettings,
        topic_arn: pulumi.Output[str],
        **arguments: Any,
    ) -> aws.cloudwatch.MetricAlarm:
        """An alarm that notifies the topic when it fires and when it clears."""
        return aws.cloudwatch.MetricAlarm(
            resource_name,
            region=self._region,
            alarm_description=description,
            alarm_actions=[topic_arn],
            ok_actions=[topic_arn],
            tags=dict(settings.tags),
            opts=pulumi.ResourceOptions(parent=self),
            **arguments,
        )

    def _alarms(
        self,
        name: str,
        group: pulumi.Input[str] | None,
        namespace: str,
        settings: MonitoringSettings,
        metrics: list[str],
        topic_arn: pulumi.Output[str],
    ) -> list[aws.cloudwatch.MetricAlarm]:
        """An alarm per detection that is on and whose metric is published, and one on the log
        group's delivery when there is a log group."""
        alarms: list[aws.cloudwatch.MetricAlarm] = []

        def alarm(key: str, description: str, **arguments: Any) -> None:
            alarms.append(
                self._alarm(f"{name}-{key}", description, settings, topic_arn, **arguments)
            )

        def count(metric: str, threshold: int, period: int) -> dict[str, Any]:
            return {
                "namespace": namespace,
                "metric_name": metric,
                "statistic": "Sum",
                "period": period,
                "evaluation_periods": 1,
                "threshold": threshold,
                "comparison_operator": "GreaterThanOrEqualToThreshold",
                "treat_missing_data": "notBreaching",
            }

        rejected, probes = settings.rejected_threshold, settings.admin_port_threshold
        if rejected > 0 and REJECTED.metric_name in metrics:
            alarm(
                "rejected-connections",
                f"{rejected} or more rejected flow-log records in 5 minutes: a scan, or a "
                "misconfigured security group or network ACL.",
                **count(REJECTED.metric_name, rejected, 300),
            )
        if probes > 0 and ADMIN_PORT_PROBES.metric_name in metrics:
            alarm(
                "admin-port-probes",
                f"{probes} or more rejected TCP connections to SSH (22) or RDP (3389) in an "
                "hour: someone is probing for remote administration.",
                **count(ADMIN_PORT_PROBES.metric_name, probes, 3600),
            )
        if KNOWN_BAD_METRIC in metrics:
            alarm(
                "known-bad-addresses",
                "Traffic from or to an address on the known-bad list (knownBadAddresses).",
                **count(KNOWN_BAD_METRIC, 1, 300),
            )
        band = settings.egress_anomaly_band
        if band > 0 and EGRESS_BYTES.metric_name in metrics:
            alarm(
                "unusual-egress",
                "Bytes to the internet above the band CloudWatch expects from their history "
                f"({band} standard deviations): possible exfiltration, or a new workload.",
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
                        "expression": f"ANOMALY_DETECTION_BAND(m1, {band})",
                        "label": "Expected egress bytes to the internet",
                        "return_data": True,
                    },
                ],
            )
        minutes = settings.delivery_stopped_minutes
        if group is not None and minutes > 0:
            alarm(
                "delivery-stopped",
                f"No flow-log records for {minutes} minutes: a flow log was deleted, its role "
                "lost its permissions, or the log group was replaced.",
                **missing_data_alarm(
                    DELIVERY_METRIC_NAMESPACE, DELIVERY_METRIC, {"LogGroupName": group}, minutes
                ),
            )
        return alarms
