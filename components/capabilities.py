"""Every config key this program reads, by capability: its decoder, its ``Pulumi.yaml`` default,
when the stack turns the capability on, and where the capability's validators live.

Declared here, apart from the settings they become, so that a key no capability reads is known,
and a key of a capability that is off is checked, without loading any capability. A new
capability plugs in by declaring one ``Capability`` in ``CAPABILITIES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import cast

from components import regions
from components.config import (
    Decoder,
    as_bool,
    as_int,
    as_int_map,
    as_string,
    as_string_list,
    as_string_map,
    as_string_or_string_map,
    given,
)
from components.flow_logs import settings as flow_log_settings
from components.flow_logs import targets, vpc_lookup


@dataclass(frozen=True)
class Capability:
    """One capability's config keys, and how they are checked whether it is on or not.

    A new capability plugs in by declaring one of these in ``CAPABILITIES``; nothing else here
    changes.
    """

    keys: Mapping[str, Decoder]
    """Its keys, each with its decoder; the decoders run in every stack."""
    defaults: Mapping[str, object]
    """Each key's ``Pulumi.yaml`` default, decoded. A key at its default needs no check."""
    validators: str | None = None
    """``module:function``: a pure function (no ``Output``, no pulumi-aws service imported) from
    the decoded values of ``keys`` to every problem with them, in the messages the capability
    gives when it is on. None when the decoders are all the checking the keys need."""
    turned_on: Callable[[Mapping[str, object]], bool] = lambda decoded: False
    """Whether the stack turns the capability on; then building its settings checks its keys."""

    def changed(self, decoded: Mapping[str, object]) -> list[str]:
        """The keys set to something other than their default."""
        return [k for k in self.keys if k in decoded and decoded[k] != self.defaults[k]]

    def problems(self, decoded: Mapping[str, object]) -> list[str]:
        """Problems with the values of this capability's keys while it is off. Its validators
        are imported only when a key differs from its default."""
        if self.validators is None or self.turned_on(decoded) or not self.changed(decoded):
            return []
        module, function = self.validators.split(":")
        validate = getattr(importlib.import_module(module), function)
        own = {k: decoded[k] for k in self.keys if k in decoded}
        return cast(list[str], validate(own))


MONITORING_KEYS: Mapping[str, Decoder] = {
    "alarms": as_bool,
    "alarmEmails": as_string_list,
    "alarmTopicArn": as_string_or_string_map,
    "rejectedThreshold": as_int,
    "adminPortThreshold": as_int,
    "egressAnomalyBand": as_int,
    "knownBadAddresses": as_string_list,
    "deliveryStoppedMinutes": as_int,
}
"""The keys of ``monitoring.settings.MonitoringSettings``; ``alarms`` turns it on. It reads the
flow logs' ``logFormat`` and ``tags`` too."""
STORAGE_KEYS: Mapping[str, Decoder] = {
    "destination": as_string,
    "bucketArn": as_string,
    "s3Prefix": as_string,
    "s3FileFormat": as_string,
    "s3HivePartitions": as_bool,
    "s3PerHourPartition": as_bool,
    "s3Transitions": as_int_map,
    "s3ExpirationDays": as_int,
    "athena": as_bool,
    "athenaScanLimitGb": as_int,
}
"""The keys of ``storage.settings.StorageSettings``; a ``destination`` naming S3 turns it on."""
FIREHOSE_KEYS: Mapping[str, Decoder] = {
    "firehoseArns": as_string_map,
    "firehoseCrossAccountRoleArn": as_string,
    "firehoseSourceAccounts": as_string_list,
}
"""The keys of ``firehose.settings.FirehoseSettings``; any of them turns it on."""
CENTRALIZATION_KEYS: Mapping[str, Decoder] = {
    "centralizeLogs": as_bool,
    "centralLogGroupName": as_string,
    "centralizeAccounts": as_string_list,
    "centralizeRegions": as_string_list,
    "centralizeBackupRegion": as_string,
}
"""The keys of ``centralization.settings.CentralizationSettings``; ``centralizeLogs`` turns it
on. It reads ``logGroupName`` too."""
ARCHIVE_KEYS: Mapping[str, Decoder] = {
    "archiveAccounts": as_string_list,
    "archiveOrganization": as_bool,
    "archiveMemberRead": as_bool,
    "archiveRegions": as_string_list,
    "archiveStack": as_string,
}
"""The archive's keys (``archiveAccounts``: the archive; ``archiveStack``: a member)."""

MONITORING = Capability(
    keys=MONITORING_KEYS,
    defaults={
        "alarms": False,
        "alarmEmails": (),
        "alarmTopicArn": "",
        "rejectedThreshold": 1000,
        "adminPortThreshold": 10,
        "egressAnomalyBand": 3,
        "knownBadAddresses": (),
        "deliveryStoppedMinutes": 30,
    },
    validators="components.monitoring.settings:monitoring_key_problems",
    turned_on=lambda decoded: bool(given(decoded, "alarms")),
)
STORAGE = Capability(
    keys=STORAGE_KEYS,
    defaults={
        "destination": "cloudwatch",
        "bucketArn": "",
        "s3Prefix": "",
        "s3FileFormat": "parquet",
        "s3HivePartitions": True,
        "s3PerHourPartition": False,
        "s3Transitions": {"STANDARD_IA": 30, "GLACIER_IR": 90},
        "s3ExpirationDays": 365,
        "athena": True,
        "athenaScanLimitGb": 10,
    },
    validators="components.storage.settings:storage_key_problems",
    turned_on=lambda decoded: given(decoded, "destination") not in (None, "cloudwatch"),
)
DRIFT_REPAIR = Capability(keys={"repairDrift": as_bool}, defaults={"repairDrift": False})
ORGANIZATION = Capability(keys={"organizationWide": as_bool}, defaults={"organizationWide": False})
FIREHOSE = Capability(
    keys=FIREHOSE_KEYS,
    defaults={"firehoseArns": {}, "firehoseCrossAccountRoleArn": "", "firehoseSourceAccounts": ()},
    # Any key set turns Firehose on, and building its settings checks every one of them.
    turned_on=lambda decoded: any(given(decoded, key) for key in FIREHOSE_KEYS),
)
CENTRALIZATION = Capability(
    keys=CENTRALIZATION_KEYS,
    defaults={
        "centralizeLogs": False,
        "centralLogGroupName": "",
        "centralizeAccounts": (),
        "centralizeRegions": (),
        "centralizeBackupRegion": "",
    },
    validators="components.centralization.settings:centralization_key_problems",
    turned_on=lambda decoded: bool(given(decoded, "centralizeLogs")),
)
ARCHIVE_DEFAULTS: Mapping[str, object] = dict.fromkeys(ARCHIVE_KEYS, ()) | {
    "archiveOrganization": False, "archiveMemberRead": True, "archiveStack": ""
}  # fmt: skip
# Any key off its default makes the stack an archive or a member, whose settings check every key.
ARCHIVE = Capability(
    keys=ARCHIVE_KEYS,
    defaults=ARCHIVE_DEFAULTS,
    turned_on=lambda d: any(k in d and d[k] != v for k, v in ARCHIVE_DEFAULTS.items()),
)

CAPABILITIES: Mapping[str, Capability] = {
    "monitoring": MONITORING,
    "drift_repair": DRIFT_REPAIR,
    "organization": ORGANIZATION,
    "storage": STORAGE,
    "firehose": FIREHOSE,
    "centralization": CENTRALIZATION,
    "archive": ARCHIVE,
}
"""Every capability a stack can turn on, by package name, with its keys."""

CONFIG_KEYS: Mapping[str, Decoder] = {
    **vpc_lookup.CONFIG_KEYS,
    **targets.CONFIG_KEYS,
    **regions.CONFIG_KEYS,
    **flow_log_settings.CONFIG_KEYS,
    **{key: decoder for c in CAPABILITIES.values() for key, decoder in c.keys.items()},
}
"""Every config key this program reads, with its decoder."""
