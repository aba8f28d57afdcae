"""Check 4: flow-log objects are arriving in the bucket (S3 ``ListObjectsV2``).

Only the folders AWS is writing now are listed: the current hour's and the previous one's with
per-hour partitions, else today's and yesterday's. The key layout is AWS's, as FACTS.md
records it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from verify.aws import Aws
from verify.expected import Expected
from verify.log_groups import Clock
from verify.results import Check

CHECK = "s3-records"


def region_folders(expected: Expected, account_id: str, region: str, now: datetime) -> list[str]:
    """The key folders to look in, newest first."""
    step = timedelta(hours=1) if expected.s3_per_hour_partition else timedelta(days=1)
    return [_folder(expected, account_id, region, moment) for moment in (now, now - step)]


def _folder(expected: Expected, account_id: str, region: str, moment: datetime) -> str:
    lead = f"{expected.s3_prefix}/" if expected.s3_prefix else ""
    y, m, d, h = moment.year, f"{moment.month:02}", f"{moment.day:02}", f"{moment.hour:02}"
    if expected.s3_hive_partitions:
        folder = (
            f"{lead}AWSLogs/aws-account-id={account_id}/aws-service=vpcflowlogs/"
            f"aws-region={region}/year={y}/month={m}/day={d}/"
        )
        return folder + (f"hour={h}/" if expected.s3_per_hour_partition else "")
    folder = f"{lead}AWSLogs/{account_id}/vpcflowlogs/{region}/{y}/{m}/{d}/"
    return folder + (f"{h}/" if expected.s3_per_hour_partition else "")


def check_s3_records(
    aws: Aws,
    region: str,
    bucket: str,
    expected: Expected,
    account_id: str,
    fresh_minutes: int,
    now: Clock,
) -> list[Check]:
    """The newest object of ``region``'s flow logs in ``bucket`` is at most ``fresh_minutes``
    old."""
    s3 = aws.client("s3", region)
    current = now()
    folders = region_folders(expected, account_id, region, current)
    try:
        newest = _newest(s3, bucket, folders)
    except s3.exceptions.NoSuchBucket:
        return [
            Check(
                CHECK,
                region,
                bucket,
                False,
                f"bucket {bucket} does not exist; run `pulumi refresh` and then ./up.sh.",
            )
        ]
    resource = f"s3://{bucket}/{folders[0]}"
    if newest is not None:
        age = max(0, round((current - newest).total_seconds() / 60))
        if age <= fresh_minutes:
            return [
                Check(
                    CHECK,
                    region,
                    resource,
                    True,
                    f"newest object {age} min old (at most {fresh_minutes})",
                )
            ]
        found = f"the newest object is {age} min old"
    else:
        found = "there is no object in it or in " + folders[1]
    return [
        Check(
            CHECK,
            region,
            resource,
            False,
            f"{found} (at most {fresh_minutes} min wanted). S3 delivery writes a file about "
            "every 5 minutes, first within about 10 minutes of a deploy (try --wait 15); "
            "otherwise look at the flow-log rows' delivery status.",
        )
    ]


def _newest(s3: Any, bucket: str, folders: Sequence[str]) -> datetime | None:
    paginator = s3.get_paginator("list_objects_v2")
    for folder in folders:
        newest = None
        for page in paginator.paginate(Bucket=bucket, Prefix=folder):
            for item in page.get("Contents", []):
                if newest is None or item["LastModified"] > newest:
                    newest = item["LastModified"]
        if newest is not None:
            return newest
    return None
