"""A member stack's side of the archive: the archive's bucket and layout, read from the archive
stack's outputs through a ``pulumi.StackReference``, so a member cannot disagree with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pulumi
import pulumi_aws as aws

# The SDK's own synchronous invokes wait this way. The archive's outputs decide what the member
# registers (where its flow logs go, whether this account may deliver at all), so they are read
# as plain values, before any resource of the member is registered.
from pulumi.runtime.sync_await import _sync_await

from components.archive.settings import ArchiveMember, ArchiveRole
from components.config import SettingsError
from components.storage.settings import FileFormat, StorageSettings

REFERENCE_NAME = "vpc-flow-logs-archive"
"""The StackReference's resource name."""
REQUIRED_OUTPUTS = (
    "archiveBucketArn",
    "archivePrefix",
    "archiveFileFormat",
    "archiveHivePartitions",
    "archivePerHourPartition",
    "archiveAccounts",
)
"""What a member reads of the archive; ``archiveKmsKeyArn`` and ``archiveRegions`` are read when
present."""


@dataclass(frozen=True)
class ArchiveDestination:
    """The archive's bucket and layout, as its stack exports them."""

    bucket_arn: str
    prefix: str
    file_format: FileFormat
    hive_partitions: bool
    per_hour_partition: bool
    accounts: tuple[str, ...]
    kms_key_arn: str | None = None
    regions: tuple[str, ...] = ()

    @classmethod
    def from_outputs(cls, stack: str, outputs: dict[str, Any]) -> ArchiveDestination:
        """The destination in an archive stack's ``outputs``; refuses a stack that is not one."""
        missing = [name for name in REQUIRED_OUTPUTS if outputs.get(name) is None]
        if missing:
            raise SettingsError(
                f"archiveStack: the stack {stack!r} exports no {', '.join(missing)}; name an "
                "archive stack (one with archiveAccounts), and `pulumi up` it first."
            )
        return cls(
            bucket_arn=str(outputs["archiveBucketArn"]),
            prefix=str(outputs["archivePrefix"]),
            file_format=FileFormat(outputs["archiveFileFormat"]),
            hive_partitions=bool(outputs["archiveHivePartitions"]),
            per_hour_partition=bool(outputs["archivePerHourPartition"]),
            accounts=tuple(str(a) for a in outputs["archiveAccounts"]),
            kms_key_arn=outputs.get("archiveKmsKeyArn"),
            regions=tuple(str(r) for r in outputs.get("archiveRegions") or ()),
        )


def read_archive(member: ArchiveMember) -> ArchiveDestination:
    """The archive's outputs, read through a StackReference as plain values."""
    reference = pulumi.StackReference(REFERENCE_NAME, stack_name=member.stack)
    outputs = {}
    for name in (*REQUIRED_OUTPUTS, "archiveKmsKeyArn", "archiveRegions"):
        details = _sync_await(reference.get_output_details(name))
        outputs[name] = details.value if details.value is not None else details.secret_value
    return ArchiveDestination.from_outputs(member.stack, outputs)


def member_storage(
    member: ArchiveMember, storage: StorageSettings, regions: tuple[str, ...]
) -> StorageSettings:
    """The member's S3 delivery: the archive's bucket, prefix, format and partitions, with no
    Athena layer of its own. Refuses an account the archive does not list, or a region the
    archive's table does not cover, before anything is registered."""
    archive = read_archive(member)
    account = aws.get_caller_identity().account_id
    if account not in archive.accounts:
        raise SettingsError(
            f"archiveStack: this account, {account}, is not among the archive's accounts "
            f"({', '.join(archive.accounts)}); add {account} to archiveAccounts on the archive "
            f"stack {member.stack!r} and `pulumi up` the archive first, then this stack."
        )
    outside = [region for region in regions if archive.regions and region not in archive.regions]
    if outside:
        raise SettingsError(
            f"archiveStack: the archive's archiveRegions ({', '.join(archive.regions)}) leave out "
            f"{', '.join(outside)}; add them to archiveRegions on the archive stack "
            f"{member.stack!r} and `pulumi up` it first, then this stack."
        )
    return replace(
        storage,
        bucket_arn=archive.bucket_arn,
        prefix=archive.prefix,
        file_format=archive.file_format,
        hive_partitions=archive.hive_partitions,
        per_hour_partition=archive.per_hour_partition,
        athena=False,
    )


def archive_storage(
    role: ArchiveRole, storage: StorageSettings, regions: tuple[str, ...]
) -> tuple[StorageSettings, ArchiveRole]:
    """The stack's S3 delivery and its part in the archive, read before anything is
    registered: a member's delivery is the archive's (``member_storage``); an archive of the
    organisation learns its accounts (``organization_archive``)."""
    if isinstance(role, ArchiveMember):
        return member_storage(role, storage, regions), role
    if role.organization:
        from components.archive.organization import organization_archive

        return storage, organization_archive(role, storage.prefix, storage.hive_partitions)
    return storage, role
