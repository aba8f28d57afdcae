"""What the stack says the account should hold, read from its config exactly as the program reads
it: ``Pulumi.yaml``'s defaults under ``Pulumi.<stack>.yaml``, then ``parse_settings``."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from components.capabilities import CONFIG_KEYS
from components.config import CONFIG_NAMESPACE, SettingsError
from components.flow_logs.vpc_lookup import AllVpcs, VpcName
from components.settings import Settings, parse_settings
from offline.stack_config import StackConfigError, load_stack_config

DEFAULT_LOG_FORMAT = (
    "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
    "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
)
"""AWS's default (version 2) format, which a flow log created without ``LogFormat`` reports."""

TRANSIT_GATEWAY_INTERVAL = 60
"""Transit-gateway flow logs always aggregate over 60 s; they take no traffic type, and AWS's
transit-gateway default format."""


class ExpectedError(Exception):
    """The stack's config cannot be read, or is invalid. The message names the stack file."""


@dataclass(frozen=True)
class Expected:
    """The stack's settings that the account is checked against."""

    home_region: str
    """The stack's own region (``aws:region``)."""
    traffic_type: str
    aggregation_interval: int
    log_format: str
    """The format string AWS reports: the ``logFormat`` fields as ``${field} ...``, or AWS's
    default format."""
    log_group_name: str
    retention_in_days: int
    to_cloudwatch: bool
    to_s3: bool
    s3_prefix: str = ""
    s3_file_format: str = "parquet"
    s3_hive_partitions: bool = True
    s3_per_hour_partition: bool = False
    alarms: bool = False
    alarm_emails: bool = False
    """Whether the stack subscribes email addresses to the alarm topic."""
    repair_drift: bool = False
    stack: str = ""
    """The stack's name, for what to run: ``./up.sh <stack>``."""
    all_vpcs: bool = False
    """Whether the stack logs every VPC of each covered region (``allVpcs``)."""
    vpc_name: str | None = None
    """The Name tag that selects the stack's VPCs (``vpcName``), if that is how it selects."""
    organization_destination_pattern: str | None = None
    """With ``organizationWide``, how the organisation's telemetry rule names each account's
    log groups; None without it. The rule records as ``traffic_type``, ``aggregation_interval``,
    ``log_format`` and ``retention_in_days`` say."""


def expected_from_settings(settings: Settings, home_region: str, stack: str = "") -> Expected:
    """The expectations that ``settings`` (as ``parse_settings`` returns them) imply."""
    options, storage = settings.options, settings.storage
    fields = options.log_format
    pattern = None
    if settings.organization_wide:
        from components.organization.settings import OrganizationSettings

        pattern = OrganizationSettings.from_options(options).destination_pattern
    expected = Expected(
        home_region=home_region,
        traffic_type=options.traffic_type.value,
        aggregation_interval=int(options.max_aggregation_interval),
        log_format=" ".join(f"${{{f}}}" for f in fields) if fields else DEFAULT_LOG_FORMAT,
        log_group_name=options.log_group_name,
        retention_in_days=options.retention_in_days,
        to_cloudwatch=settings.to_cloudwatch,
        to_s3=settings.to_s3,
        alarms=settings.monitoring is not None,
        alarm_emails=bool(settings.monitoring and settings.monitoring.alarm_emails),
        repair_drift=settings.repair_drift,
        stack=stack,
        all_vpcs=isinstance(settings.selection, AllVpcs),
        vpc_name=settings.selection.name if isinstance(settings.selection, VpcName) else None,
        organization_destination_pattern=pattern,
    )
    # A stack that does not deliver to S3 has no S3 settings, and the S3 fields keep defaults.
    if storage is None:
        return expected
    return replace(
        expected,
        s3_prefix=storage.prefix,
        s3_file_format=storage.file_format.value,
        s3_hive_partitions=storage.hive_partitions,
        s3_per_hour_partition=storage.per_hour_partition,
    )


def load_expected(project_dir: Path, stack: str) -> Expected:
    """The expectations of ``stack``'s config in ``project_dir``, read as ``pulumi up`` reads it.

    The home region is ``aws:region``, or else ``AWS_REGION`` as the provider would take it.
    """
    stack_file = f"Pulumi.{stack}.yaml"
    try:
        config = load_stack_config(project_dir, stack)
    except StackConfigError as error:
        raise ExpectedError(f"{stack_file}: {error}") from error
    raw = {
        key: value
        for key in CONFIG_KEYS
        if (value := config.get(f"{CONFIG_NAMESPACE}:{key}")) is not None
    }
    try:
        settings = parse_settings(raw)
    except SettingsError as error:
        problems = str(error).replace("\n", "; ")
        raise ExpectedError(f"{stack_file}: the stack's config is invalid: {problems}") from error
    home = config.get("aws:region") or os.environ.get("AWS_REGION")
    if not home:
        raise ExpectedError(f"{stack_file}: sets no aws:region, and AWS_REGION is not set.")
    return expected_from_settings(settings, home, stack)
