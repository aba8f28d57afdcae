"""What an archive exports for its members to read, and what a member exports of its archive."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from components.archive.settings import ArchiveMember

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
