"""The ``firehose`` rows: each delivery stream in the stack's own account that the flow logs
deliver to is ``ACTIVE`` and carries ``LogDeliveryEnabled=true``, without which AWS's
log-delivery role may not write to it (Amazon Data Firehose ``DescribeDeliveryStream``,
``ListTagsForDeliveryStream``).

A stream in another account cannot be read with this account's credentials; its flow logs'
rows still show whether delivery succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from verify.aws import Aws
from verify.results import Check

CHECK = "firehose"
LOG_DELIVERY_TAG = ("LogDeliveryEnabled", "true")
"""The tag AWS's service-linked role ``AWSServiceRoleForLogDelivery`` requires on a stream."""


def streams_to_check(streams: Mapping[str, Any], account_id: str) -> list[tuple[str, str]]:
    """The (region, ARN) of each stream the outputs name (``firehoseStreamArns``) that is in
    ``account_id``, in the outputs' order."""
    return [
        (region, arn)
        for region, arn in streams.items()
        if isinstance(arn, str) and arn.split(":")[4:5] == [account_id]
    ]


def check_firehose(aws: Aws, region: str, stream_arn: str) -> list[Check]:
    """One row: the stream exists, is ``ACTIVE``, and carries ``LogDeliveryEnabled=true``."""
    firehose = aws.client("firehose", region)
    name = stream_arn.rsplit("/", 1)[-1]
    try:
        description = firehose.describe_delivery_stream(DeliveryStreamName=name)
    except firehose.exceptions.ResourceNotFoundException:
        return [
            Check(
                CHECK,
                region,
                stream_arn,
                False,
                "does not exist: the flow logs delivering to it have nowhere to deliver. Create "
                "the stream again, or change firehoseArns and run ./up.sh.",
            )
        ]
    status = description["DeliveryStreamDescription"]["DeliveryStreamStatus"]
    problems = []
    if status != "ACTIVE":
        problems.append(f"status is {status}, not ACTIVE")
    tags = _tags(firehose, name)
    key, value = LOG_DELIVERY_TAG
    if tags.get(key) != value:
        found = f"{key}={tags[key]}" if key in tags else f"no {key} tag"
        problems.append(
            f"it has {found}: AWS's log-delivery role writes only to streams tagged {key}={value}, "
            "so delivery stops. Tag the stream again (aws firehose tag-delivery-stream), and keep "
            "the tag in the code that manages the stream"
        )
    detail = "; ".join(problems) or f"ACTIVE, tagged {key}={value}"
    return [Check(CHECK, region, stream_arn, not problems, detail)]


def _tags(firehose: Any, name: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    start: dict[str, str] = {}
    while True:
        page = firehose.list_tags_for_delivery_stream(DeliveryStreamName=name, **start)
        page_tags: Sequence[Mapping[str, str]] = page.get("Tags", [])
        tags.update({tag["Key"]: tag.get("Value", "") for tag in page_tags})
        if not page.get("HasMoreTags") or not page_tags:
            return tags
        start = {"ExclusiveStartTagKey": page_tags[-1]["Key"]}
