"""Where flow logs go, and how long-term storage and its query layer behave: ``StorageSettings``.

Everything here is pure: no ``Output``, no invoke, no resource. The stack's config and the
``S3FlowLogs`` and ``FlowLogAthena`` components' arguments all go through ``StorageSettings``, so
one rule lives in one place and every message names the key, the value given and what is allowed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from components.config import (
    SettingsError,
    choices,
    field_values,
    given,
    raise_if,
    whole,
)


class Destination(StrEnum):
    """Where each VPC's flow logs are delivered."""

    CLOUDWATCH = "cloudwatch"
    S3 = "s3"
    BOTH = "both"


class FileFormat(StrEnum):
    """How flow-log records are written to S3."""

    PARQUET = "parquet"
    PLAIN_TEXT = "plain-text"


STORAGE_CLASS_COLDNESS: Mapping[str, int] = {
    "STANDARD_IA": 1,
    "INTELLIGENT_TIERING": 2,
    "ONEZONE_IA": 3,
    "GLACIER_IR": 4,
    "GLACIER": 5,
    "DEEP_ARCHIVE": 6,
}
"""The storage classes a lifecycle rule may move log objects to, from warmest to coldest, in the
order S3's lifecycle "waterfall" allows transitions."""

INFREQUENT_ACCESS: tuple[str, ...] = ("STANDARD_IA", "ONEZONE_IA")
"""Classes S3 refuses to transition objects to before they are 30 days old."""
ARCHIVES: tuple[str, ...] = ("GLACIER", "DEEP_ARCHIVE")
"""Classes that must come at least 30 days after a transition to an infrequent-access class."""
IA_MINIMUM_DAYS = 30

DEFAULT_TRANSITIONS: Mapping[str, int] = {"STANDARD_IA": 30, "GLACIER_IR": 90}
"""Infrequent access after a month, Glacier Instant Retrieval after a quarter: records stay
queryable by Athena at every tier, and each tier's minimum storage duration is met before the
default expiration."""
DEFAULT_EXPIRATION_DAYS = 365
"""A year, as for the log group (CIS); never-expire is refused."""
DEFAULT_SCAN_LIMIT_GB = 10

NONCURRENT_VERSION_DAYS = 30
"""Days a replaced or deleted log object's old version is kept before it expires."""
ATHENA_RESULTS_PREFIX = "athena-results/"
"""Where the workgroup writes query results, in the stack's bucket."""
ATHENA_RESULTS_DAYS = 7
"""Days Athena's query results are kept; they can be recomputed from the logs."""

RESERVED_PREFIX = "AWSLogs"
_BUCKET_NAME = r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]"
_BUCKET_ARN = re.compile(rf"arn:aws(?:-[a-z]+)*:s3:::(?P<name>{_BUCKET_NAME})(?P<path>/.*)?")
_PREFIX_CHARS = re.compile(r"[A-Za-z0-9!\-_.*'()/]+")
_GLUE_NAME = re.compile(r"[a-z0-9_]{1,255}")
_WORKGROUP_NAME = re.compile(r"[A-Za-z0-9._\-]{1,128}")


@dataclass(frozen=True)
class StorageSettings:
    """Where flow logs go, and how the S3 copy is laid out, kept and queried.

    Validated on construction, so a bad value can never reach a resource.
    """

    destination: Destination = Destination.CLOUDWATCH
    """``cloudwatch``, ``s3`` or ``both``. Defaults to ``cloudwatch``."""
    bucket_arn: str | None = None
    """An existing bucket to deliver to. Defaults to none: the stack creates the bucket."""
    prefix: str = ""
    """The folder inside the bucket. Defaults to none (the bucket's root)."""
    file_format: FileFormat = FileFormat.PARQUET
    """``parquet`` or ``plain-text``. Defaults to ``parquet``: smaller, and faster to query."""
    hive_partitions: bool = True
    """Write Hive-compatible (``key=value``) prefixes. Defaults to true."""
    per_hour_partition: bool = False
    """Add an hour level to the prefixes. Defaults to false."""
    transitions: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_TRANSITIONS))
    """Storage class to the age in days at which log objects move there. Defaults to
    ``{STANDARD_IA: 30, GLACIER_IR: 90}``."""
    expiration_days: int = DEFAULT_EXPIRATION_DAYS
    """Age in days at which log objects are deleted. Defaults to 365; 0 (never) is refused."""
    athena: bool = True
    """With an S3 destination, also create the Athena query layer. Defaults to true."""
    athena_scan_limit_gb: int = DEFAULT_SCAN_LIMIT_GB
    """The most data one Athena query may scan, in GB. Defaults to 10."""

    def __post_init__(self) -> None:
        raise_if(validate_storage(self))
        object.__setattr__(self, "destination", Destination(self.destination))
        object.__setattr__(self, "file_format", FileFormat(self.file_format))
        object.__setattr__(self, "transitions", dict(self.transitions))

    @property
    def to_cloudwatch(self) -> bool:
        """Whether flow logs are delivered to CloudWatch Logs."""
        return self.destination in (Destination.CLOUDWATCH, Destination.BOTH)

    @property
    def to_s3(self) -> bool:
        """Whether flow logs are delivered to S3."""
        return self.destination in (Destination.S3, Destination.BOTH)

    @property
    def bucket_name(self) -> str | None:
        """The name of the existing bucket given as ``bucket_arn``, or None."""
        match = _BUCKET_ARN.fullmatch(self.bucket_arn or "")
        return match.group("name") if match else None

    @classmethod
    def from_args(cls, args: Mapping[str, object]) -> StorageSettings:
        """The settings in a component's arguments (keys named as the fields), S3 destination.

        Raises ``SettingsError`` naming every problem.
        """
        values = field_values(cls, args, exclude={"destination"})
        transitions = values.get("transitions")
        if isinstance(transitions, Mapping):
            values["transitions"] = {k: whole(v) for k, v in transitions.items()}
        return cls(destination=Destination.S3, **values)  # type: ignore[arg-type]


def validate_storage(settings: StorageSettings) -> list[str]:
    """Every problem with ``settings``, one message each; empty when they are valid."""
    problems: list[str] = []
    if settings.destination not in tuple(Destination):
        problems.append(
            f"destination: {settings.destination!r} is not a flow-log destination; "
            f"use one of {choices(list(Destination))}."
        )
    if settings.file_format not in tuple(FileFormat):
        problems.append(
            f"s3FileFormat: {settings.file_format!r} is not a flow-log file format; "
            f"use one of {choices(list(FileFormat))}."
        )
    if settings.bucket_arn is not None:
        problems += bucket_arn_problems(settings.bucket_arn)
    problems += prefix_problems(settings.prefix)
    problems += transition_problems(settings.transitions)
    problems += expiration_problems(settings.expiration_days, settings.transitions)
    if settings.destination == Destination.CLOUDWATCH:
        for key, value in (("bucketArn", settings.bucket_arn), ("s3Prefix", settings.prefix)):
            if value:
                problems.append(
                    f"{key}: {value!r} is set, but destination is 'cloudwatch', which writes "
                    "nothing to S3; set destination to s3 or both, or leave it unset."
                )
    if settings.athena_scan_limit_gb < 1:
        problems.append(
            f"athenaScanLimitGb: {settings.athena_scan_limit_gb!r} is below 1; "
            "give the most GB one Athena query may scan, 1 or more."
        )
    return problems


def bucket_arn_problems(arn: str) -> list[str]:
    """Problems with an existing bucket's ARN given as ``bucketArn``."""
    match = _BUCKET_ARN.fullmatch(arn)
    if match is None:
        return [
            f"bucketArn: {arn!r} is not an S3 bucket ARN; expected "
            "arn:<partition>:s3:::<bucket-name>."
        ]
    if match.group("path"):
        return [
            f"bucketArn: {arn!r} carries a path ({match.group('path')!r}); give the bucket's "
            "ARN alone and the folder as s3Prefix."
        ]
    return []


def prefix_problems(prefix: str) -> list[str]:
    """Problems with the folder given as ``s3Prefix``."""
    if not prefix:
        return []
    problems = []
    if prefix.split("/", 1)[0] == RESERVED_PREFIX:
        problems.append(
            f"s3Prefix: {prefix!r} starts with {RESERVED_PREFIX!r}, which AWS reserves for the "
            "folders it writes under your prefix; choose another name, such as 'flow-logs'."
        )
    if prefix.startswith("/") or prefix.endswith("/"):
        problems.append(
            f"s3Prefix: {prefix!r} starts or ends with '/'; write the folder without them, "
            "such as 'flow-logs' or 'network/flow-logs'."
        )
    if not _PREFIX_CHARS.fullmatch(prefix) or "//" in prefix:
        problems.append(
            f"s3Prefix: {prefix!r} is not a safe S3 folder name; use letters, digits and "
            "! - _ . * ' ( ), with single '/' between folders."
        )
    return problems


def transition_problems(transitions: Mapping[str, int]) -> list[str]:
    """Problems with the lifecycle transitions given as ``s3Transitions``."""
    problems: list[str] = []
    known = {}
    for storage_class, days in transitions.items():
        if storage_class not in STORAGE_CLASS_COLDNESS:
            problems.append(
                f"s3Transitions: {storage_class!r} is not a storage class a lifecycle rule can "
                f"move objects to; use one of {choices(list(STORAGE_CLASS_COLDNESS))}."
            )
        elif days < 0:
            problems.append(
                f"s3Transitions: {storage_class} after {days} days is negative; give an age in "
                "days, 0 or more."
            )
        elif storage_class in INFREQUENT_ACCESS and days < IA_MINIMUM_DAYS:
            problems.append(
                f"s3Transitions: {storage_class} after {days} days is too soon; S3 moves objects "
                f"to {storage_class} only once they are at least {IA_MINIMUM_DAYS} days old."
            )
        else:
            known[storage_class] = days
    ordered = sorted(known.items(), key=lambda item: STORAGE_CLASS_COLDNESS[item[0]])
    for (warmer, warmer_days), (colder, colder_days) in itertools.pairwise(ordered):
        if colder_days <= warmer_days:
            problems.append(
                f"s3Transitions: {colder} after {colder_days} days does not come after "
                f"{warmer} after {warmer_days} days; a colder class needs more days "
                f"(from warm to cold: {choices(list(STORAGE_CLASS_COLDNESS))})."
            )
    for archive in ARCHIVES:
        for ia in INFREQUENT_ACCESS:
            if (
                archive in known
                and ia in known
                and 0 < known[archive] - known[ia] < IA_MINIMUM_DAYS
            ):
                problems.append(
                    f"s3Transitions: {archive} after {known[archive]} days is only "
                    f"{known[archive] - known[ia]} days after {ia} after {known[ia]} days; S3 "
                    f"needs objects to stay in {ia} for at least {IA_MINIMUM_DAYS} days."
                )
    return problems


def expiration_problems(days: int, transitions: Mapping[str, int]) -> list[str]:
    """Problems with ``s3ExpirationDays``, given the transitions it must come after."""
    if days == 0:
        return [
            "s3ExpirationDays: 0 means never expire, which this project refuses; give the age "
            f"in days at which log objects are deleted, such as {DEFAULT_EXPIRATION_DAYS}."
        ]
    if days < 0:
        return [f"s3ExpirationDays: {days} is negative; give an age in days, 1 or more."]
    later = {c: d for c, d in transitions.items() if isinstance(d, int) and d >= days}
    if later:
        listed = ", ".join(f"{c} after {d}" for c, d in later.items())
        return [
            f"s3ExpirationDays: {days} is not later than every transition ({listed} days); "
            "objects must expire strictly after their last transition."
        ]
    return []


def glue_name_problems(key: str, name: str) -> list[str]:
    """Problems with a Glue database or table name (Athena reads only these characters)."""
    if _GLUE_NAME.fullmatch(name):
        return []
    return [
        f"{key}: {name!r} is not a name Athena can query; use 1 to 255 characters from "
        "a-z 0-9 _ (lower case)."
    ]


def workgroup_name_problems(name: str) -> list[str]:
    """Problems with an Athena workgroup name."""
    if _WORKGROUP_NAME.fullmatch(name):
        return []
    return [
        f"workgroupName: {name!r} is not an Athena workgroup name; use 1 to 128 characters "
        "from A-Z a-z 0-9 . _ -."
    ]


def storage_from_config(
    decoded: Mapping[str, object],
) -> tuple[StorageSettings | None, list[str]]:
    """``StorageSettings`` from decoded config values, or the problems with them.

    Booleans and maps are read as given (``false`` and ``{}`` mean false and no transitions);
    empty strings mean unset.
    """
    values: dict[str, object | None] = {
        "destination": given(decoded, "destination"),
        "bucket_arn": given(decoded, "bucketArn"),
        "prefix": decoded.get("s3Prefix"),
        "file_format": given(decoded, "s3FileFormat"),
        "hive_partitions": decoded.get("s3HivePartitions"),
        "per_hour_partition": decoded.get("s3PerHourPartition"),
        "transitions": decoded.get("s3Transitions"),
        "expiration_days": decoded.get("s3ExpirationDays"),
        "athena": decoded.get("athena"),
        "athena_scan_limit_gb": decoded.get("athenaScanLimitGb"),
    }
    try:
        return StorageSettings(**{k: v for k, v in values.items() if v is not None}), []  # type: ignore[arg-type]
    except SettingsError as error:
        return None, str(error).split("\n")


def storage_key_problems(decoded: Mapping[str, object]) -> list[str]:
    """Every problem with the storage keys' values, whatever the destination, in the messages
    ``storage_from_config`` gives."""
    return storage_from_config(decoded)[1]
