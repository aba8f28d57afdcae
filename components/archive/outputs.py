"""What an archive exports for its members to read, and what a member exports of its archive."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from components.archive.documents import ArchiveLayout
from components.archive.settings import ArchiveMember, ArchiveSettings

if TYPE_CHECKING:
    from components.outputs import StackComponents


def archive_outputs(built: StackComponents) -> dict[str, Any]:
    """An archive's bucket, layout, key, accounts and regions, named as ``member.py`` reads
    them; a member's archive stack. Empty when the stack has no S3 delivery."""
    s3, archive = built.s3, built.archive
    if s3 is None or archive is None:
        return {}
    if isinstance(archive, ArchiveMember):
        return {"archiveStack": archive.stack}
    storage = s3.storage
    outputs: dict[str, Any] = {
        "archiveBucketArn": s3.bucket_arn,
        "archivePrefix": storage.prefix,
        "archiveFileFormat": storage.file_format.value,
        "archiveHivePartitions": storage.hive_partitions,
        "archivePerHourPartition": storage.per_hour_partition,
        "archiveAccounts": s3.archive_accounts,
        "archiveRegions": list(archive.regions) or [region.name for region in built.regions],
    }
    if s3.encrypted:
        outputs["archiveKmsKeyArn"] = s3.kms_key_arn
    return outputs


def watched_folders(built: StackComponents) -> dict[str, str]:
    """An archive's per-account delivery watch: each listed account's folder of VPC records,
    and the archive's own when it logs targets of its own."""
    s3, archive = built.s3, built.archive
    if s3 is None or not isinstance(archive, ArchiveSettings):
        return {}
    layout = ArchiveLayout(s3.storage.prefix, s3.storage.hive_partitions)
    watched = set(archive.accounts) | (
        set(s3.archive_accounts) if archive.logs_own_targets else set()
    )
    return {account: layout.account_folders(account)[0] for account in sorted(watched)}
