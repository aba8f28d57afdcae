"""Watching delivery to S3: a request-metrics configuration on the flow-log folder, and what the
delivery-stopped alarm on its ``PutRequests`` looks like.

``AWS/Logs`` ``IncomingLogEvents`` exists only for CloudWatch Logs, so S3 delivery is watched
through S3's own request metrics. S3 publishes them, per minute, only for objects under a
metrics configuration's filter, and publishes nothing in a minute without a request: a stopped
delivery is missing data, treated as breaching. The usual cause is a bucket or key policy that
rejects the writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.storage.layout import (
    TRANSIT_GATEWAY_FOLDER,
    logs_key_prefix,
    transit_gateway_prefix,
)

S3_DELIVERY_NAMESPACE = "AWS/S3"
S3_DELIVERY_METRIC = "PutRequests"
_MAX_CONFIGURATION_ID = 64
_NOT_CONFIGURATION_ID = re.compile(r"[^A-Za-z0-9._-]")


def configuration_id(name: str) -> str:
    """The metrics configuration's id (the metric's ``FilterId``) for a component ``name``: at
    most 64 letters, digits, periods, hyphens and underscores, as S3 allows."""
    return _NOT_CONFIGURATION_ID.sub("-", name)[:_MAX_CONFIGURATION_ID]


def request_metrics(
    name: str,
    bucket_name: pulumi.Input[str],
    key_prefix: str,
    region: str | None,
    parent: pulumi.Resource,
) -> aws.s3.BucketMetric:
    """A metrics configuration on the bucket, filtered to the objects under ``key_prefix``, as
    a child of ``parent``."""
    return aws.s3.BucketMetric(
        f"{name}-s3-request-metrics",
        region=region,
        bucket=bucket_name,
        name=configuration_id(name),
        filter={"prefix": key_prefix},
        opts=pulumi.ResourceOptions(parent=parent),
    )


@dataclass(frozen=True)
class DeliveryWatch:
    """One watched folder of the bucket: its metrics configuration and its alarm."""

    name: str
    """The base of the configuration's resource name and id."""
    key_prefix: str
    alarm_name: str
    what: str
    """Whose delivery it is, for the alarm's description."""

    def description(self, minutes: int) -> str:
        return (
            f"{self.what} for {minutes} minutes: usually a bucket or key policy that rejects "
            "the writes, or a deleted flow log."
        )


def delivery_watches(
    name: str,
    prefix: str,
    account_folders: Mapping[str, str] | None = None,
    transit_gateways: bool = False,
) -> list[DeliveryWatch]:
    """What to watch: the flow logs' whole folder (``[prefix/]AWSLogs/``), or in an archive each
    account's own folder, so that the alarm names the account that stopped delivering; and with
    ``transit_gateways``, their folder (``[prefix/]transit-gateways/AWSLogs/``), outside the
    VPCs'."""
    watches = [
        DeliveryWatch(
            f"{name}-{account}",
            folder,
            f"{name}-s3-delivery-stopped-{account}",
            f"Account {account} stopped delivering: no flow-log object written to its folder",
        )
        for account, folder in sorted((account_folders or {}).items())
    ] or [
        DeliveryWatch(
            name,
            logs_key_prefix(prefix),
            f"{name}-s3-delivery-stopped",
            "No flow-log object written to the bucket",
        )
    ]
    if transit_gateways:
        watches.append(
            DeliveryWatch(
                f"{name}-{TRANSIT_GATEWAY_FOLDER}",
                logs_key_prefix(transit_gateway_prefix(prefix)),
                f"{name}-s3-tgw-delivery-stopped",
                "No transit-gateway flow-log object written to the bucket",
            )
        )
    return watches


def missing_data_alarm(
    namespace: str, metric_name: str, dimensions: dict[str, Any], minutes: int
) -> dict[str, Any]:
    """The ``MetricAlarm`` arguments of a delivery-stopped alarm: fewer than one datapoint of
    the metric in each of ``minutes`` minutes, missing data breaching."""
    return {
        "namespace": namespace,
        "metric_name": metric_name,
        "dimensions": dimensions,
        "statistic": "Sum",
        "period": 60,
        "evaluation_periods": minutes,
        "datapoints_to_alarm": minutes,
        "threshold": 1,
        "comparison_operator": "LessThanThreshold",
        # No datapoint is exactly what a stopped delivery looks like.
        "treat_missing_data": "breaching",
    }


def delivery_stopped_alarm(
    bucket_name: pulumi.Input[str], filter_id: pulumi.Input[str], minutes: int
) -> dict[str, Any]:
    """The ``MetricAlarm`` arguments of the S3 delivery-stopped alarm: fewer than one PUT under
    the configuration's folder in each of ``minutes`` minutes, missing data breaching."""
    return missing_data_alarm(
        S3_DELIVERY_NAMESPACE,
        S3_DELIVERY_METRIC,
        {"BucketName": bucket_name, "FilterId": filter_id},
        minutes,
    )
