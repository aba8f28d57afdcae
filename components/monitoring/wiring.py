"""What a stack's monitoring watches in each region it covers: the region's log group, and in
the stack's own region the bucket the stack created.

The bucket is in the stack's own region, and one metrics configuration and one alarm watch it
there. A bucket given as ``bucketArn`` is someone else's: the stack does not change its
configuration, so delivery there is not watched, and a warning says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import pulumi

from components.regions import CoveredRegion

if TYPE_CHECKING:
    from components.monitoring.component import FlowLogMonitoringArgs
    from components.monitoring.settings import MonitoringSettings
    from components.outputs import StackComponents
    from components.storage.settings import StorageSettings

UNWATCHED_BUCKET = (
    "bucketArn: delivery to the existing bucket {bucket!r} is not watched: the stack does not "
    "configure a bucket it does not own. To be told when delivery there stops, add a request-"
    "metrics configuration on '{folder}' to that bucket and an alarm on its AWS/S3 PutRequests."
)


NOTHING_WATCHED = (
    "alarms: true watches nothing here: with destination: s3 there is no log group, and the "
    "existing bucket {bucket!r} (bucketArn) is not configured by this stack. Set destination: "
    "both to watch the records in CloudWatch Logs, or watch delivery from the stack that owns "
    "the bucket (a request-metrics configuration on '{folder}' and an alarm on its AWS/S3 "
    "PutRequests), and set alarms to false here."
)


def delivery_watch_problems(monitoring: MonitoringSettings, storage: StorageSettings) -> list[str]:
    """What the stack's alarms would refuse to watch, checked before anything is registered:
    nothing at all (only an existing bucket), or the bucket in too short a window."""
    from components.monitoring.settings import s3_minutes_problems
    from components.storage.layout import logs_key_prefix

    if storage.bucket_arn is not None:
        if storage.to_cloudwatch:
            return []
        folder = logs_key_prefix(storage.prefix)
        return [NOTHING_WATCHED.format(bucket=storage.bucket_name, folder=folder)]
    return s3_minutes_problems(monitoring.delivery_stopped_minutes) if storage.to_s3 else []


def watched_delivery(
    built: StackComponents, storage: StorageSettings | None, region: CoveredRegion
) -> dict[str, Any]:
    """``monitoring_args``'s keyword arguments of what ``region``'s monitoring watches: its log
    group, and in the stack's own region the stack's bucket; and the region's name, which picks
    its topic from a map of ``alarmTopicArn``. Falsy when nothing is watched."""
    watched: dict[str, Any] = {"region_name": region.name}
    if region in built.flow_logs:
        watched["log_group_name"] = built.flow_logs[region].log_group_name
    if region.is_home and built.s3 is not None:
        assert storage is not None, "S3 delivery comes from the storage settings"
        if storage.bucket_arn is None:
            watched["s3_bucket_name"] = built.s3.bucket_name
            watched["s3_prefix"] = storage.prefix
            # Transit gateways write under their own folder, which needs its own watch.
            watched["s3_transit_gateways"] = built.s3.logs_transit_gateways
            if built.s3.archive_accounts:
                from components.archive.outputs import watched_folders

                # An archive watches each account's folder, naming the one that stops.
                watched["s3_account_folders"] = watched_folders(built)
        else:
            from components.storage.layout import logs_key_prefix

            folder = logs_key_prefix(storage.prefix)
            pulumi.log.warn(UNWATCHED_BUCKET.format(bucket=storage.bucket_name, folder=folder))
    return watched if len(watched) > 1 else {}


def monitoring_args(
    settings: MonitoringSettings,
    log_group_name: pulumi.Input[str] | None = None,
    region: str | None = None,
    *,
    s3_bucket_name: pulumi.Input[str] | None = None,
    s3_prefix: str = "",
    s3_transit_gateways: bool = False,
    s3_account_folders: Mapping[str, str] | None = None,
    region_name: str | None = None,
) -> FlowLogMonitoringArgs:
    """The component's args for settings read from a stack's config, watching the log group,
    the bucket's flow-log folder or both, in ``region`` (default: the provider's), whose name
    is ``region_name`` when ``alarmTopicArn`` maps regions to topics."""
    args: dict[str, Any] = {
        "log_format": list(settings.log_format),
        "alarm_emails": list(settings.alarm_emails),
        "rejected_threshold": settings.rejected_threshold,
        "admin_port_threshold": settings.admin_port_threshold,
        "egress_anomaly_band": settings.egress_anomaly_band,
        "known_bad_addresses": list(settings.known_bad_addresses),
        "delivery_stopped_minutes": settings.delivery_stopped_minutes,
        "tags": dict(settings.tags),
    }
    topic = settings.alarm_topic_arn
    if isinstance(topic, str):
        args["alarm_topic_arn"] = topic
    elif topic is not None:
        if region_name is None or region_name not in topic:
            from components.config import SettingsError

            raise SettingsError(
                f"alarmTopicArn: no topic for {region_name}, the stack's own region; give a map "
                f"entry for {region_name}, or a single topic ARN in it."
            )
        args["alarm_topic_arn"] = topic[region_name]
    optional = {
        "metric_namespace": settings.metric_namespace,
        "dashboard_name": settings.dashboard_name,
        "region": region,
        "log_group_name": log_group_name,
        "s3_bucket_name": s3_bucket_name,
    }
    args.update({key: value for key, value in optional.items() if value is not None})
    if s3_bucket_name is not None:
        if s3_prefix:
            args["s3_prefix"] = s3_prefix
        if s3_transit_gateways:
            args["s3_transit_gateways"] = True
        if s3_account_folders:
            args["s3_account_folders"] = dict(s3_account_folders)
    return cast("FlowLogMonitoringArgs", args)
