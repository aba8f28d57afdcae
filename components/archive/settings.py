"""Whether the stack is the organisation's log archive or one of its members, and every rule
about that: ``ArchiveSettings``, ``ArchiveMember`` and ``archive_from_config``.

Pure: no ``Output``, no invoke, no resource. Every message names the key, the value given and
what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from components.archive.documents import BUCKET_POLICY_LIMIT, accounts_that_fit
from components.config import choices, given
from components.regions import region_problems
from components.storage.settings import (
    DEFAULT_EXPIRATION_DAYS,
    DEFAULT_TRANSITIONS,
    FileFormat,
)

_ACCOUNT = re.compile(r"\d{12}")
_STACK_REFERENCE = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
METRICS_CONFIGURATIONS_LIMIT = 1000
"""S3's limit on request-metrics configurations per bucket."""

LAYOUT_DEFAULTS: Mapping[str, object] = {
    "s3Prefix": "",
    "s3FileFormat": FileFormat.PARQUET.value,
    "s3HivePartitions": True,
    "s3PerHourPartition": False,
    "s3Transitions": dict(DEFAULT_TRANSITIONS),
    "s3ExpirationDays": DEFAULT_EXPIRATION_DAYS,
}
"""The S3 layout and lifecycle keys, which the archive sets for every member, at their
defaults: a member leaves them there."""
TARGET_KEYS = (
    "vpcIds",
    "vpcName",
    "allVpcs",
    "subnetIds",
    "eniIds",
    "transitGatewayIds",
    "transitGatewayAttachmentIds",
)
"""The keys that select what a stack logs of its own."""


@dataclass(frozen=True)
class ArchiveSettings:
    """The stack is the organisation's archive: its S3 bucket admits the listed accounts."""

    accounts: tuple[str, ...]
    """The member accounts whose flow logs the bucket receives, as listed; the archive's own
    account counts too, listed or not."""
    member_read: bool = True
    """Each member may read its own folder and no other. Defaults to true."""
    regions: tuple[str, ...] = ()
    """The regions members deliver from, for Athena's projection. Defaults to the stack's."""
    logs_own_targets: bool = False
    """Whether the archive sets a target key and logs VPCs (or more) of its own."""
    organization: bool = False
    """Admit the active accounts of the AWS Organization, read when the program runs
    (``archiveOrganization``), instead of listed ones. Defaults to false."""


@dataclass(frozen=True)
class ArchiveMember:
    """The stack is a member: it delivers to the archive that ``stack`` names."""

    stack: str
    """The archive stack, ``<organization>/<project>/<stack>``."""


ArchiveRole = ArchiveSettings | ArchiveMember


def archive_from_config(decoded: Mapping[str, object]) -> tuple[ArchiveRole | None, list[str]]:
    """The stack's part in the archive from decoded config values, or the problems with them."""
    accounts = given(decoded, "archiveAccounts") or given(decoded, "archiveOrganization")
    stack = given(decoded, "archiveStack")
    if given(decoded, "archiveAccounts") and given(decoded, "archiveOrganization"):
        return None, [
            "archiveAccounts and archiveOrganization cannot be combined: list the accounts, or "
            "admit the organisation's active accounts, not both."
        ]
    if accounts is not None and stack is not None:
        return None, [
            "archiveAccounts and archiveStack cannot be combined: a stack is the archive or one "
            "of its members, not both; keep archiveAccounts on the archive and archiveStack on "
            "each member."
        ]
    if stack is not None:
        return _member_from_config(str(stack), decoded)
    return _archive_from_config(decoded)


def _archive_from_config(decoded: Mapping[str, object]) -> tuple[ArchiveRole | None, list[str]]:
    accounts = tuple(str(a) for a in given(decoded, "archiveAccounts") or ())  # type: ignore[attr-defined]
    regions = tuple(str(r) for r in given(decoded, "archiveRegions") or ())  # type: ignore[attr-defined]
    member_read = decoded.get("archiveMemberRead") is not False
    organization = bool(given(decoded, "archiveOrganization"))
    if not accounts and not organization:
        problems = [
            f"{key}: {value!r} is set, but archiveAccounts is not; it applies only to an archive, "
            "so list the member accounts in archiveAccounts or leave it unset."
            for key, value in (
                ("archiveRegions", list(regions) or None),
                ("archiveMemberRead", None if member_read else False),
            )
            if value is not None
        ]
        return None, problems
    problems = account_problems(accounts)
    problems += region_problems(regions, "archiveRegions")
    archive_key = "archiveOrganization" if organization else "archiveAccounts"
    destination = given(decoded, "destination") or "cloudwatch"
    own_targets = any(given(decoded, key) for key in TARGET_KEYS)
    if destination == "cloudwatch":
        problems.append(
            f"{archive_key}: an archive keeps the organisation's flow logs in the stack's S3 "
            f"bucket, but destination is {destination!r}; set destination to s3 or both."
        )
    elif destination == "both" and not own_targets:
        problems.append(
            "destination: 'both' sends the archive's own flow logs to CloudWatch too, but the "
            f"archive logs nothing of its own; set destination to s3, or set one of "
            f"{choices(TARGET_KEYS)}."
        )
    if given(decoded, "bucketArn"):
        problems.append(
            f"{archive_key} and bucketArn cannot be combined: the archive's bucket is the one "
            "the stack creates and hardens; leave bucketArn unset."
        )
    prefix = str(given(decoded, "s3Prefix") or "")
    hive = decoded.get("s3HivePartitions") is not False
    # The organisation's accounts are counted when they are read, before registration.
    if not organization:
        problems += fit_problems(len(set(accounts)) + 1, prefix, hive, member_read)
        if given(decoded, "alarms"):
            problems += metrics_problems(len(set(accounts)) + 1)
    settings = ArchiveSettings(accounts, member_read, regions, own_targets, organization)
    return (None if problems else settings), problems


def account_problems(accounts: tuple[str, ...]) -> list[str]:
    """Ids that are not 12 digits, or appear twice."""
    problems = []
    seen: set[str] = set()
    for account in accounts:
        if not _ACCOUNT.fullmatch(account):
            problems.append(
                f"archiveAccounts: {account!r} is not an AWS account id; give 12 digits, "
                "such as '111111111111'."
            )
        elif account in seen:
            problems.append(
                f"archiveAccounts: {account!r} appears more than once; list each account once."
            )
        seen.add(account)
    return problems


def fit_problems(count: int, prefix: str, hive: bool, member_read: bool) -> list[str]:
    """Refuse more accounts than the bucket policy holds; ``count`` includes the archive's own."""
    fit = accounts_that_fit(prefix, hive, member_read)
    if count <= fit:
        return []
    return [
        f"archiveAccounts: {count} accounts (the archive's own included) do not fit S3's "
        f"{BUCKET_POLICY_LIMIT // 1024} KB bucket policy; at most {fit} fit with this layout. "
        "Split the organisation between several archives."
    ]


def metrics_problems(count: int) -> list[str]:
    """Refuse more watched accounts than S3 allows metrics configurations on one bucket."""
    if count <= METRICS_CONFIGURATIONS_LIMIT:
        return []
    return [
        f"alarms: watching {count} accounts' delivery needs {count} request-metrics "
        f"configurations, but S3 allows at most {METRICS_CONFIGURATIONS_LIMIT} per bucket; "
        "split the organisation between several archives."
    ]


def component_problems(accounts: tuple[str, ...], args: Mapping[str, object]) -> list[str]:
    """Problems with an ``S3FlowLogs``'s archive arguments: the ids, an existing bucket (an
    archive's bucket is the one it creates), and the bucket policy's size."""
    problems = account_problems(accounts)
    if args.get("bucket_arn"):
        problems.append(
            "archiveAccounts and bucketArn cannot be combined: the archive's bucket is the one "
            "the stack creates and hardens; leave bucketArn unset."
        )
    prefix = str(args.get("prefix") or "")
    hive = args.get("hive_partitions") is not False
    member_read = args.get("archive_member_read") is not False
    return problems + fit_problems(len(set(accounts)) + 1, prefix, hive, member_read)


def _member_from_config(
    stack: str, decoded: Mapping[str, object]
) -> tuple[ArchiveRole | None, list[str]]:
    problems = []
    if not _STACK_REFERENCE.fullmatch(stack):
        problems.append(
            f"archiveStack: {stack!r} is not a stack reference; write "
            "<organization>/<project>/<stack>, such as 'acme/vpc-flow-logs/archive'."
        )
    destination = given(decoded, "destination") or "cloudwatch"
    if destination == "cloudwatch":
        problems.append(
            f"archiveStack: a member delivers to the archive's bucket in S3, but destination is "
            f"{destination!r}; set destination to s3 or both."
        )
    for key in ("bucketArn", "archiveRegions"):
        if given(decoded, key):
            problems.append(
                f"archiveStack and {key} cannot be combined: the archive owns the bucket and "
                f"its settings; leave {key} unset on a member."
            )
    if decoded.get("archiveMemberRead") is False:
        problems.append(
            "archiveStack and archiveMemberRead cannot be combined: the archive decides whether "
            "members read their folders; leave archiveMemberRead unset on a member."
        )
    for key, default in LAYOUT_DEFAULTS.items():
        value = decoded.get(key)
        if value is not None and value != default:
            problems.append(
                f"archiveStack and {key} cannot be combined: the archive sets the layout for "
                f"every member, but {key} is {value!r}; leave it at its default ({default!r})."
            )
    if given(decoded, "alarms") and destination == "s3":
        problems.append(
            "alarms: true on a member that delivers only to the archive (destination s3 with "
            "archiveStack) has nothing to watch: the member has no log group, and the archive's "
            "alarms watch delivery into its bucket. Set destination to both to watch this "
            "account's CloudWatch copy, or leave alarms to the archive."
        )
    return (None if problems else ArchiveMember(stack)), problems
