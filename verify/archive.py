"""The archive's check: the newest flow-log object of every account the archive admits, in
today's (or this hour's) folders of each region members deliver from.

An account with nothing fresh is a warning that names it, not a failure: the archive works, and a
member that stopped delivering (or was never deployed) is that member's to fix.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from verify.aws import Aws
from verify.expected import Expected
from verify.log_groups import Clock
from verify.outputs import StackOutputs
from verify.results import Check, Probe, Severity
from verify.s3_records import check_s3_records

CHECK = "archive-records"


def archive_accounts(outputs: StackOutputs) -> list[str]:
    """The accounts an archive admits (its ``archiveAccounts`` output); empty for any other
    stack."""
    accounts = outputs.raw.get("archiveAccounts")
    return [str(a) for a in accounts] if isinstance(accounts, list) else []


def logs_nothing_of_its_own(outputs: StackOutputs) -> bool:
    """Whether the stack is an archive without flow logs of its own: its own folder is then no
    sign of anything, and only the accounts' folders are checked."""
    return bool(archive_accounts(outputs)) and not outputs.raw.get("s3FlowLogIds")


def check_account(
    aws: Aws,
    bucket: str,
    expected: Expected,
    account: str,
    regions: list[str],
    fresh_minutes: int,
    now: Clock,
) -> list[Check]:
    """One row per region: ``account``'s newest object there; a stale or empty folder warns."""
    rows = []
    for region in regions:
        for row in check_s3_records(aws, region, bucket, expected, account, fresh_minutes, now):
            detail = f"account {account}: {row.detail}"
            # A missing bucket stays an error; a member's stale folder is that member's.
            severity = row.severity if row.resource == bucket else Severity.WARNING
            rows.append(replace(row, check=CHECK, detail=detail, severity=severity))
    return rows


def archive_probes(
    aws: Aws, outputs: StackOutputs, expected: Expected, fresh_minutes: int, now: Clock
) -> list[Probe]:
    """A probe per account the archive admits; none for a stack that is not an archive."""
    bucket = outputs.bucket_name
    if bucket is None:
        return []
    regions = [str(r) for r in outputs.raw.get("archiveRegions") or outputs.regions]
    return [
        Probe(
            CHECK,
            ", ".join(regions),
            f"s3://{bucket} account {account}",
            partial(check_account, aws, bucket, expected, account, regions, fresh_minutes, now),
        )
        for account in archive_accounts(outputs)
    ]
