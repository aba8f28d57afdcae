"""Check 1: every flow log the outputs name exists, is active, delivers, and is recorded and sent
where the stack says (EC2 ``DescribeFlowLogs``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.aws import Aws
from verify.expected import TRANSIT_GATEWAY_INTERVAL, Expected
from verify.outputs import FlowLogRef
from verify.results import Check

CHECK = "flow-log"
FILTER_VALUES = 100
"""Flow-log ids asked for per call (EC2 filters take a bounded number of values)."""
TRANSIT_GATEWAY_PREFIXES = ("tgw-", "tgw-attach-")

DELIVERY_CAUSES = {
    "cloud-watch-logs": (
        "this usually means the delivery role: its trust policy must admit "
        "vpc-flow-logs.amazonaws.com for this account and region, and its policy must allow "
        "logs:CreateLogStream and logs:PutLogEvents on the log group; with an encrypted group, "
        "the KMS key policy must admit CloudWatch Logs for that group"
    ),
    "s3": (
        "this usually means the bucket policy: it must let delivery.logs.amazonaws.com "
        "s3:PutObject under AWSLogs/<account>/ and s3:GetBucketAcl; with SSE-KMS, the key "
        "policy must admit delivery.logs.amazonaws.com too"
    ),
    "kinesis-data-firehose": (
        "in the stream's own account, the stream must carry the tag LogDeliveryEnabled=true (see "
        "the firehose row); across accounts, the source role and the destination role must "
        "trust each other as docs/firehose.md describes"
    ),
}
FIREHOSE = "kinesis-data-firehose"


@dataclass(frozen=True)
class Destinations:
    """Where the stack's flow logs may deliver, by region."""

    log_groups: Mapping[str, Sequence[str]]
    """Per region, the log groups the outputs name there."""
    bucket_name: str | None
    firehose_streams: Mapping[str, str] = field(default_factory=dict)
    """Per region, the Firehose stream the outputs name there (``firehoseStreamArns``)."""


def check_flow_logs(
    aws: Aws,
    refs: Sequence[FlowLogRef],
    regions: Sequence[str],
    expected: Expected,
    destinations: Destinations,
) -> list[Check]:
    """One row per flow log. Each is looked for in every covered region, since S3 flow logs are
    named by the outputs without their region."""
    found: dict[str, tuple[str, Mapping[str, Any]]] = {}
    ids = [ref.id for ref in refs]
    for region in regions:
        for flow_log in describe_flow_logs(aws, region, [i for i in ids if i not in found]):
            found[flow_log["FlowLogId"]] = (region, flow_log)
    rows = []
    for ref in refs:
        if ref.id not in found:
            where = ref.region or "any"
            rows.append(
                Check(
                    CHECK,
                    where,
                    _label(ref),
                    False,
                    f"does not exist in {ref.region or ', '.join(regions)}: it was deleted outside "
                    "the stack. Run `pulumi refresh` and then ./up.sh to create it again.",
                )
            )
            continue
        region, flow_log = found[ref.id]
        problems = flow_log_problems(flow_log, ref, expected, destinations, region)
        rows.append(
            Check(
                CHECK,
                region,
                _label(ref, flow_log),
                not problems,
                "; ".join(problems) or _summary(flow_log),
            )
        )
    return rows


def describe_flow_logs(aws: Aws, region: str, ids: Sequence[str]) -> Iterable[Mapping[str, Any]]:
    """The flow logs among ``ids`` that exist in ``region``. A filter, unlike ``FlowLogIds``,
    simply leaves out the ids it does not find."""
    paginator = aws.client("ec2", region).get_paginator("describe_flow_logs")
    for start in range(0, len(ids), FILTER_VALUES):
        chunk = list(ids[start : start + FILTER_VALUES])
        for page in paginator.paginate(Filters=[{"Name": "flow-log-id", "Values": chunk}]):
            yield from page.get("FlowLogs", [])


def is_transit_gateway(resource_id: str) -> bool:
    """Whether a flow log's resource is a transit gateway or one of its attachments."""
    return resource_id.startswith(TRANSIT_GATEWAY_PREFIXES)


def flow_log_problems(
    flow_log: Mapping[str, Any],
    ref: FlowLogRef,
    expected: Expected,
    destinations: Destinations,
    region: str,
) -> list[str]:
    """What is wrong with one flow log, each with what to do; empty when nothing is."""
    problems = []
    status = flow_log.get("FlowLogStatus")
    if status != "ACTIVE":
        problems.append(f"status is {status}, not ACTIVE")
    delivery = flow_log.get("DeliverLogsStatus")
    destination_type = flow_log.get("LogDestinationType", "cloud-watch-logs")
    if delivery != "SUCCESS":
        message = flow_log.get("DeliverLogsErrorMessage") or "no message"
        cause = DELIVERY_CAUSES.get(destination_type, "check the destination's permissions")
        problems.append(f"delivery {delivery}: AWS says {message!r}; {cause}")
    problems += settings_problems(flow_log, expected)
    problems += destination_problems(flow_log, ref, expected, destinations, region)
    return problems


def settings_problems(flow_log: Mapping[str, Any], expected: Expected) -> list[str]:
    """Where the flow log records differently from the stack's settings. Transit-gateway flow
    logs always use 60 s, no traffic type and AWS's transit-gateway format."""
    transit_gateway = is_transit_gateway(str(flow_log.get("ResourceId", "")))
    wanted: dict[str, object] = {
        "MaxAggregationInterval": TRANSIT_GATEWAY_INTERVAL
        if transit_gateway
        else expected.aggregation_interval
    }
    if not transit_gateway:
        wanted["TrafficType"] = expected.traffic_type
        wanted["LogFormat"] = expected.log_format
    return [
        f"{name} is {flow_log.get(name)!r}, but the stack says {value!r}"
        for name, value in wanted.items()
        if flow_log.get(name) != value
    ]


def destination_problems(
    flow_log: Mapping[str, Any],
    ref: FlowLogRef,
    expected: Expected,
    destinations: Destinations,
    region: str,
) -> list[str]:
    """Where the flow log delivers, against where the stack delivers."""
    actual_type = flow_log.get("LogDestinationType", "cloud-watch-logs")
    wanted_type = "s3" if ref.to_s3 or not expected.to_cloudwatch else "cloud-watch-logs"
    wanted_type = FIREHOSE if ref.to_firehose else wanted_type
    if actual_type != wanted_type:
        return [f"it delivers to {actual_type}, but the stack says {wanted_type}"]
    if wanted_type == FIREHOSE:
        stream = destinations.firehose_streams.get(region)
        actual = flow_log.get("LogDestination")
        if stream is not None and actual != stream:
            return [f"it delivers to stream {actual!r}, but the stack says {stream!r}"]
        return []
    if wanted_type == "s3":
        return _s3_problems(flow_log, expected, destinations.bucket_name)
    group = flow_log.get("LogGroupName") or _log_group_of(str(flow_log.get("LogDestination", "")))
    groups = destinations.log_groups.get(region) or [expected.log_group_name]
    if group not in groups:
        return [f"it delivers to log group {group!r}, but the stack says {' or '.join(groups)!r}"]
    return []


def _s3_problems(
    flow_log: Mapping[str, Any], expected: Expected, bucket_name: str | None
) -> list[str]:
    problems = []
    arn = str(flow_log.get("LogDestination", ""))
    bucket, _, prefix = arn.split(":::", 1)[-1].partition("/")
    if bucket_name is not None and bucket != bucket_name:
        problems.append(f"it delivers to bucket {bucket!r}, but the stack says {bucket_name!r}")
    if prefix.rstrip("/") != expected.s3_prefix:
        problems.append(
            f"it delivers under {prefix!r} in the bucket, but the stack says {expected.s3_prefix!r}"
        )
    options = flow_log.get("DestinationOptions")
    if options:
        wanted = {
            "FileFormat": expected.s3_file_format,
            "HiveCompatiblePartitions": expected.s3_hive_partitions,
            "PerHourPartition": expected.s3_per_hour_partition,
        }
        problems += [
            f"{name} is {options.get(name)!r}, but the stack says {value!r}"
            for name, value in wanted.items()
            if options.get(name) != value
        ]
    return problems


def _log_group_of(arn: str) -> str:
    """A log group's name from its ARN, with or without the trailing ``:*``."""
    name = arn.split(":log-group:", 1)[-1]
    return name.removesuffix(":*")


def _label(ref: FlowLogRef, flow_log: Mapping[str, Any] | None = None) -> str:
    target = (flow_log or {}).get("ResourceId") or ref.target
    return f"{ref.id} ({target})" if target else ref.id


def _summary(flow_log: Mapping[str, Any]) -> str:
    destination = flow_log.get("LogGroupName") or flow_log.get("LogDestination")
    recorded = (
        f"{flow_log.get('TrafficType')}, " if flow_log.get("TrafficType") else ""
    ) + f"{flow_log.get('MaxAggregationInterval')} s"
    return f"active and delivering; {recorded}, as the stack says, to {destination}"
