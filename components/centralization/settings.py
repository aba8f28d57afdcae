"""Centralizing the organisation's flow logs: ``CentralizationSettings``, its config keys'
validators and the rule's log-group selection.

Everything here is pure: no ``Output``, no invoke, no resource. The rule copies every log group
whose name starts with the stack's ``logGroupName`` (the telemetry rule's
``<prefix>/<accountId>/<vpcId>`` groups, and member stacks' own group) from the organisation's
accounts and regions into one group of this account and home region. Transit-gateway groups
write another record format, so they are left out: metric filters read records by position.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from components.config import SettingsError, given, raise_if
from components.flow_logs.settings import (
    TRANSIT_GATEWAY_LOG_GROUP_SUFFIX,
    FlowLogOptions,
    log_group_name_problems,
)
from components.regions import region_problems

DEFAULT_CENTRAL_LOG_GROUP_NAME = "/security/vpc-flow-logs"
"""The central group's default name: outside ``/aws/vpc/flowlogs``, so the rule never copies it
into itself."""
DEFAULT_RULE_NAME = "vpc-flow-logs-central"
"""The centralization rule's name, unique in the organisation."""
MAX_SELECTION_LENGTH = 2000
"""AWS's limit on a rule's ``log_group_selection_criteria``, in characters."""
KEYS = (
    "centralLogGroupName",
    "centralizeAccounts",
    "centralizeRegions",
    "centralizeBackupRegion",
)
"""The keys that only mean something with ``centralizeLogs``."""
_ACCOUNT_ID = re.compile(r"\d{12}")


@dataclass(frozen=True)
class CentralizationSettings:
    """What the centralization rule copies, and where to."""

    source_log_group_prefix: str
    """The start of every copied group's name: the stack's ``logGroupName``."""
    log_group_name: str = DEFAULT_CENTRAL_LOG_GROUP_NAME
    """The central group, in this account and the home region. Defaults to
    ``/security/vpc-flow-logs``."""
    accounts: tuple[str, ...] = ()
    """The source accounts. Defaults to none: the whole organisation."""
    regions: tuple[str, ...] = ()
    """The source regions. Defaults to none: the stack's own regions."""
    backup_region: str | None = None
    """A second region of this account that keeps a copy, with a key of its own there.
    Defaults to none."""

    def __post_init__(self) -> None:
        raise_if(validate_centralization(self))
        object.__setattr__(self, "accounts", tuple(self.accounts))
        object.__setattr__(self, "regions", tuple(self.regions))

    @property
    def selection(self) -> str:
        """The rule's log-group selection, in the OAM link-filter format."""
        return log_group_selection(self.source_log_group_prefix)


def log_group_selection(prefix: str) -> str:
    """The groups whose names start with ``prefix``, except transit-gateway groups.

    Log group names cannot hold ``%`` or ``'``, so the prefix needs no escaping.
    """
    return (
        f"LogGroupName LIKE '{prefix}%' AND "
        f"LogGroupName NOT LIKE '%{TRANSIT_GATEWAY_LOG_GROUP_SUFFIX}'"
    )


def source_scope(organization_id: str, accounts: tuple[str, ...]) -> str:
    """The rule's source scope: the listed accounts, or else the whole organisation."""
    if accounts:
        return "AccountId IN (" + ", ".join(f"'{account}'" for account in accounts) + ")"
    return f"OrganizationId = '{organization_id}'"


def validate_centralization(settings: CentralizationSettings) -> list[str]:
    """Every problem with ``settings``, one message each; empty when they are valid."""
    problems: list[str] = []
    name, prefix = settings.log_group_name, settings.source_log_group_prefix
    problems += log_group_name_problems(name, "centralLogGroupName")
    if name.startswith(prefix):
        problems.append(
            f"centralLogGroupName: {name!r} starts with logGroupName {prefix!r}, so the "
            "centralization rule, which copies every group whose name starts with "
            "logGroupName, would copy the central group into itself; choose a central name "
            f"outside {prefix!r}, such as {DEFAULT_CENTRAL_LOG_GROUP_NAME!r}."
        )
    for account in settings.accounts:
        if not _ACCOUNT_ID.fullmatch(account):
            problems.append(
                f"centralizeAccounts: {account!r} is not an AWS account id; use 12 digits, "
                "such as '111122223333'."
            )
    if len(set(settings.accounts)) < len(settings.accounts):
        problems.append("centralizeAccounts: an account appears more than once; list each once.")
    problems += region_problems(settings.regions, "centralizeRegions")
    if settings.backup_region is not None:
        problems += region_problems([settings.backup_region], "centralizeBackupRegion")
    selection = log_group_selection(prefix)
    if len(selection) > MAX_SELECTION_LENGTH:
        problems.append(
            f"logGroupName: {prefix!r} makes the centralization rule's selection "
            f"{len(selection)} characters; AWS allows {MAX_SELECTION_LENGTH}."
        )
    return problems


def home_region_problems(settings: CentralizationSettings, home: str) -> list[str]:
    """What only the stack's own region shows: a backup in the home region is no backup."""
    if settings.backup_region == home:
        return [
            f"centralizeBackupRegion: {home!r} is the stack's own region (aws:region), where "
            "the central group already is; name another region, or leave it empty."
        ]
    return []


def centralization_key_problems(decoded: Mapping[str, object]) -> list[str]:
    """Every problem with the centralization keys' values while ``centralizeLogs`` is off, in
    the messages ``centralization_from_config`` gives."""
    return centralization_from_config(decoded, None)[1]


def centralization_from_config(
    decoded: Mapping[str, object], options: FlowLogOptions | None
) -> tuple[CentralizationSettings | None, list[str]]:
    """The settings when ``centralizeLogs`` is on, or the problems with them. A key that only
    centralization reads is refused when it is off, rather than silently ignored."""
    if not given(decoded, "centralizeLogs"):
        return None, [
            f"{key}: is set, but centralizeLogs is off; turn centralizeLogs on, or remove {key}."
            for key in KEYS
            if given(decoded, key)
        ]
    if options is None:
        # The flow logs' own problems are already reported; the prefix is not known.
        return None, []
    values = {
        "log_group_name": given(decoded, "centralLogGroupName"),
        "accounts": given(decoded, "centralizeAccounts"),
        "regions": given(decoded, "centralizeRegions"),
        "backup_region": given(decoded, "centralizeBackupRegion"),
    }
    try:
        settings = CentralizationSettings(
            source_log_group_prefix=options.log_group_name,
            **{k: v for k, v in values.items() if v is not None},  # type: ignore[arg-type]
        )
    except SettingsError as error:
        return None, str(error).split("\n")
    return settings, []
