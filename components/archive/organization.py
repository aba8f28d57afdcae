"""``archiveOrganization``: the archive admits the AWS Organization's active accounts, read when
the program runs, and refuses as many as would not fit, before anything is registered."""

from __future__ import annotations

from dataclasses import replace

import pulumi_aws as aws

from components.archive.settings import ArchiveSettings, fit_problems
from components.config import raise_if


def organization_archive(archive: ArchiveSettings, prefix: str, hive: bool) -> ArchiveSettings:
    """``archive`` with the organisation's active accounts as its accounts.

    The organisation lists its accounts only to its management account or a delegated
    administrator, so that is where an archive of the whole organisation runs.
    """
    organization = aws.organizations.get_organization()
    accounts = tuple(sorted(a.id for a in organization.accounts or () if a.state == "ACTIVE"))
    problems = fit_problems(len(set(accounts)) + 1, prefix, hive, archive.member_read)
    raise_if([p.replace("archiveAccounts:", "archiveOrganization:", 1) for p in problems])
    return replace(archive, accounts=accounts)
