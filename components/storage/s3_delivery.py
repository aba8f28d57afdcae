"""The ``S3FlowLogs`` component: flow logs on any number of VPCs, delivered to an S3 bucket.

No ``from __future__ import annotations`` here: it would hide the args' real annotations from
Pulumi's schema analyzer.
"""

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypedDict, cast

import pulumi
import pulumi_aws as aws

from components.aws_context import aws_context
from components.config import SettingsError
from components.flow_logs.component import COMPONENT_PACKAGE, KEY_TAG, TargetFlowLogs
from components.flow_logs.settings import FlowLogOptions, TrafficType
from components.flow_logs.targets import (
    TARGET_KINDS,
    FlowLogTargets,
    TargetKind,
    logs_transit_gateways,
    target_problems,
)
from components.regions import CoveredRegion, region_problems
from components.storage.bucket import access_logs, hardened_bucket
from components.storage.documents import flow_log_bucket_policy, s3_delivery_key_policy
from components.storage.layout import (
    default_bucket_name,
    destination_arn,
    destination_options,
    log_lifecycle_rules,
    results_lifecycle_rules,
    transit_gateway_prefix,
)
from components.storage.settings import FileFormat, StorageSettings

if TYPE_CHECKING:
    # Loaded only for an archive.
    from components.archive.documents import ArchivePolicies
    from components.archive.settings import ArchiveRole

S3_FLOW_LOGS_TYPE = f"{COMPONENT_PACKAGE}:index:S3FlowLogs"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""


class S3FlowLogsArgs(TypedDict, total=False):
    """What ``S3FlowLogs`` logs, where in S3, and for how long."""

    vpc_ids: Mapping[str, pulumi.Input[str]]
    """The VPCs to log, keyed by a stable logical name that becomes part of each flow log's
    resource name. Ids may come from VPCs created in the same program. At least one target of
    any kind is required. Defaults to none."""
    subnet_ids: Mapping[str, pulumi.Input[str]]
    """Subnets to log, keyed as ``vpcIds`` is. Defaults to none."""
    eni_ids: Mapping[str, pulumi.Input[str]]
    """Network interfaces to log, keyed as ``vpcIds`` is. Defaults to none."""
    transit_gateway_ids: Mapping[str, pulumi.Input[str]]
    """Transit gateways to log, keyed as ``vpcIds`` is; 60 s, no traffic type, AWS's
    transit-gateway format. Defaults to none."""
    transit_gateway_attachment_ids: Mapping[str, pulumi.Input[str]]
    """Transit-gateway attachments to log, keyed as ``vpcIds`` is. Defaults to none."""
    target_regions: Mapping[str, str]
    """The region of each target (by its key) that is not in the provider's region; its flow
    log is created there and delivers to the one bucket, whose policy admits every region named
    here. Defaults to none: every target in the provider's region."""
    bucket_arn: str
    """An existing bucket to deliver to, which the component leaves as it is. Defaults to a
    bucket the component creates and hardens."""
    prefix: str
    """The folder inside the bucket; not ``AWSLogs``, no leading or trailing ``/``. Defaults to
    none (the bucket's root)."""
    file_format: FileFormat
    """``parquet`` or ``plain-text``. Defaults to ``parquet``."""
    hive_partitions: bool
    """Write Hive-compatible (``key=value``) prefixes. Defaults to true."""
    per_hour_partition: bool
    """Add an hour level to the prefixes. Defaults to false."""
    transitions: Mapping[str, int]
    """Storage class to the age in days at which log objects move there (created bucket only).
    Defaults to ``{STANDARD_IA: 30, GLACIER_IR: 90}``."""
    expiration_days: int
    """Age in days at which log objects are deleted (created bucket only). Defaults to 365."""
    traffic_type: TrafficType
    """Which traffic to record. Defaults to ALL."""
    max_aggregation_interval: int
    """Seconds aggregated into one record, 60 or 600. Defaults to 60."""
    log_format: Sequence[str]
    """Record fields in order. Defaults to AWS's default (version 2) format."""
    flow_log_name: str
    """The Name tag on each flow log. Defaults to ``ASG-VPC-FlowLogs``."""
    tags: Mapping[str, str]
    """Tags for every resource created. Defaults to none."""
    encrypt_logs: bool
    """Encrypt the created bucket with a customer-managed, rotating KMS key of its own, whose
    policy admits flow-log delivery for this account only. Defaults to false (SSE-S3)."""
    kms_key_arn: pulumi.Input[str]
    """An existing customer-managed key to encrypt the created bucket with; its policy must admit
    ``delivery.logs.amazonaws.com``. Defaults to none."""
    protect_logs: bool
    """Protect the bucket and its key from ``pulumi destroy``. Defaults to false."""
    archive_accounts: Sequence[str]
    """Make the created bucket the organisation's archive: its policy (and its key's) admit
    flow-log delivery from these accounts, and the bucket's own, each into its own folder, with
    no target of its own required. Defaults to none: this account's delivery only."""
    archive_member_read: bool
    """In an archive, let each listed account read its own folder and no other. Defaults to
    true."""
    delete_before_replace: bool
    """Replace a flow log by deleting it first. Pulumi replaces create-first, which briefly
    puts one more flow log on the target: set this when each target has another flow log (such
    as a ``VpcFlowLogs`` one). AWS refuses a second flow log with the same configuration and
    destination, and once listed at most two per resource (no longer documented); delete-first
    meets neither refusal. This destination then misses the target's records for the short gap
    between the two. Defaults to false."""


def targets_of(args: S3FlowLogsArgs) -> dict[TargetKind, Mapping[str, pulumi.Input[str]]]:
    """The targets in ``args``, by kind."""
    return {
        kind: cast(Mapping[str, pulumi.Input[str]], args.get(kind.field) or {})
        for kind in TARGET_KINDS
    }


def validate_s3_args(args: S3FlowLogsArgs) -> tuple[FlowLogOptions, StorageSettings]:
    """The flow-log options and storage settings in ``args``; raises naming every problem.

    Traffic type, interval, format, Name tag and tags go through the same ``FlowLogOptions`` as
    the CloudWatch flow logs', so both destinations record the same thing.
    """
    targets = targets_of(args)
    archive_accounts = tuple(args.get("archive_accounts") or ())
    # An archive may log nothing of its own: its bucket is what it is for.
    problems = target_problems(targets) if any(targets.values()) or not archive_accounts else []
    if archive_accounts:
        from components.archive.settings import component_problems

        problems += component_problems(archive_accounts, args)
    target_regions = args.get("target_regions") or {}
    problems += region_problems(sorted(set(target_regions.values())), "targetRegions")
    keys = {key for keyed in targets.values() for key in keyed}
    for key in sorted(set(target_regions) - keys):
        problems.append(f"targetRegions: {key!r} names no target; use a key of the targets.")

    options: FlowLogOptions | None = None
    try:
        # A kmsKeyArn that is an output is checked for exclusion with encryptLogs here, and for
        # its form by AWS.
        options = FlowLogOptions.from_args(args)
    except SettingsError as error:
        problems += str(error).split("\n")
    storage: StorageSettings | None = None
    try:
        storage = StorageSettings.from_args(args)
    except SettingsError as error:
        problems += str(error).split("\n")
    if problems or options is None or storage is None:
        raise SettingsError("\n".join(problems))
    return options, storage


class S3FlowLogs(pulumi.ComponentResource):
    """Flow logs for any number of VPCs, delivered to S3, plus the bucket when none is given.

    With no ``bucketArn``, the bucket is created private, owner-enforced, versioned, encrypted
    and TLS-only, with a policy admitting flow-log delivery for this account only, a lifecycle
    that moves log objects to colder storage and deletes them, and server access logging into a
    second bucket, hardened the same way. With ``bucketArn``, the existing bucket is not
    touched: its policy, lifecycle, encryption and logging stay its owner's.

    Transit gateways' and attachments' flow logs, which write AWS's transit-gateway format, go
    to a folder of their own, ``<prefix>/transit-gateways``, outside the VPC records' folder.
    """

    vpc_ids: pulumi.Output[list[str]]
    """The ids of the VPCs being logged, in the order of the ``vpcIds`` input."""
    flow_log_ids: pulumi.Output[list[str]]
    """The VPCs' S3 flow logs' ids (``fl-...``), in the same order."""
    target_flow_log_ids: pulumi.Output[dict[str, str]]
    """Every S3 flow log's id, VPCs' and other targets', by the key its target was given under."""
    bucket_name: pulumi.Output[str]
    """The name of the bucket the flow logs are delivered to."""
    bucket_arn: pulumi.Output[str]
    """The ARN of that bucket."""
    log_destination: pulumi.Output[str]
    """The flow logs' destination: the bucket's ARN, with ``/<prefix>`` when set."""
    transit_gateway_prefix: pulumi.Output[str | None]
    """The folder transit-gateway and attachment flow logs are delivered to
    (``<prefix>/transit-gateways``), or None when none is logged."""
    access_log_bucket_name: pulumi.Output[str | None]
    """The bucket receiving the created bucket's server access logs, or None (an existing
    bucket)."""
    kms_key_arn: pulumi.Output[str | None]
    """The key encrypting the created bucket, or None (SSE-S3, or an existing bucket)."""

    def __init__(
        self, name: str, args: S3FlowLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Validate before registering anything: a bad argument leaves nothing half-created.
        options, storage = validate_s3_args(args)
        super().__init__(S3_FLOW_LOGS_TYPE, name, None, opts)
        context = aws_context(pulumi.InvokeOptions(parent=self))
        prefix, hive = storage.prefix, storage.hive_partitions
        targets = targets_of(args)
        # A plain value, not an output: the stack exports the folder only when this is true.
        self.logs_transit_gateways = logs_transit_gateways(targets)
        # Plain values, not outputs: what an archive exports of its layout.
        self.storage = storage
        self.encrypted = storage.bucket_arn is None and (
            options.encrypt_logs or args.get("kms_key_arn") is not None
        )
        gateway_prefix = transit_gateway_prefix(prefix) if self.logs_transit_gateways else None
        target_regions = args.get("target_regions") or {}
        # The bucket's and key's policies admit deliveries from each region, named one by one.
        regions = sorted({context.region, *target_regions.values()})

        # An archive's bucket and key admit every listed account; their statements are the
        # archive's.
        archive: ArchivePolicies | None = None
        if args.get("archive_accounts"):
            from components.archive import documents as archive_documents

            archive = archive_documents.ArchivePolicies(
                accounts=tuple(args.get("archive_accounts") or ()),
                prefix=prefix,
                hive_partitions=hive,
                member_read=args.get("archive_member_read", True),
            )
        key_arn: pulumi.Input[str] | None = args.get("kms_key_arn")
        delivery_ready: list[pulumi.Resource] = []
        access_log_bucket: pulumi.Input[str] | None = None
        if storage.bucket_arn is not None:
            # Someone else's bucket: delivered to as it is, its configuration left to its owner.
            partition = storage.bucket_arn.split(":")[1]
            bucket_name: pulumi.Input[str] = storage.bucket_name or ""
            key_arn = None
        else:
            partition = context.partition
            # Logs are evidence: when asked, a destroy must not delete them or their key.
            if options.encrypt_logs:
                key = aws.kms.Key(
                    f"{name}-key",
                    description="Encrypts the VPC flow-log bucket",
                    enable_key_rotation=True,
                    deletion_window_in_days=30,
                    policy=json.dumps(
                        archive.key_policy(context)
                        if archive is not None
                        else s3_delivery_key_policy(context, regions)
                    ),
                    # The deployer policy manages only keys with this tag.
                    tags={**options.tags, KEY_TAG: COMPONENT_PACKAGE},
                    opts=pulumi.ResourceOptions(parent=self, protect=options.protect_logs),
                )
                key_arn = key.arn
            source_name = default_bucket_name(name, pulumi.get_stack(), context)
            created = hardened_bucket(
                name,
                source_name,
                policy=lambda b: (
                    archive.bucket_policy(context, b)
                    if archive is not None
                    else flow_log_bucket_policy(context, b, prefix, hive, regions, gateway_prefix)
                ),
                lifecycle_rules=[
                    *log_lifecycle_rules(prefix, storage.transitions, storage.expiration_days),
                    *results_lifecycle_rules(),
                ],
                kms_key_arn=key_arn,
                tags=options.tags,
                parent=self,
                protect=options.protect_logs,
            )
            # Who read, wrote or deleted the evidence is itself evidence.
            audit = access_logs(
                name,
                created.bucket,
                source_name,
                context=context,
                expiration_days=storage.expiration_days,
                tags=options.tags,
                parent=self,
                protect=options.protect_logs,
            )
            bucket_name = created.bucket.bucket
            access_log_bucket = audit.target.bucket.bucket
            # Without its policy in place, AWS attaches a policy of its own on first delivery.
            delivery_ready = [created.policy, created.encryption]

        def folder_arn(folder: str) -> pulumi.Output[str]:
            return pulumi.Output.from_input(bucket_name).apply(
                lambda b: destination_arn(partition, b, folder)
            )

        logged = TargetFlowLogs.create(
            name,
            targets,
            options,
            region_of=target_regions.get,
            log_destination_type="s3",
            log_destination=folder_arn(prefix),
            # Transit gateways write another format: a folder of their own, outside the table's.
            transit_gateway_destination=(
                {"log_destination": folder_arn(gateway_prefix)}
                if gateway_prefix is not None
                else None
            ),
            destination_options=destination_options(
                storage.file_format, hive, storage.per_hour_partition
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=delivery_ready,
                # None, not False, leaves the engine's own choice alone when not asked.
                delete_before_replace=args.get("delete_before_replace") or None,
            ),
        )
        self.vpc_ids = logged.vpc_ids
        self.flow_log_ids = logged.flow_log_ids
        self.target_flow_log_ids = logged.target_flow_log_ids
        self.bucket_name = pulumi.Output.from_input(bucket_name)
        self.bucket_arn = self.bucket_name.apply(lambda b: destination_arn(partition, b, ""))
        self.log_destination = self.bucket_name.apply(
            lambda b: destination_arn(partition, b, prefix)
        )
        self.transit_gateway_prefix = pulumi.Output.from_input(gateway_prefix)
        self.access_log_bucket_name = pulumi.Output.from_input(access_log_bucket)
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        # Every account an archive's bucket admits, its own included, sorted: what it exports.
        self.archive_accounts = (
            list(archive.admitted(context.account_id)) if archive is not None else []
        )
        self.register_outputs(
            {
                "vpcIds": self.vpc_ids,
                "flowLogIds": self.flow_log_ids,
                "targetFlowLogIds": self.target_flow_log_ids,
                "bucketName": self.bucket_name,
                "bucketArn": self.bucket_arn,
                "logDestination": self.log_destination,
                "transitGatewayPrefix": self.transit_gateway_prefix,
                "accessLogBucketName": self.access_log_bucket_name,
                "kmsKeyArn": self.kms_key_arn,
            }
        )


def s3_flow_logs_args(
    targets: Mapping[CoveredRegion, FlowLogTargets],
    options: FlowLogOptions,
    storage: StorageSettings,
    *,
    delete_before_replace: bool = False,
    archive: "ArchiveRole | None" = None,
) -> S3FlowLogsArgs:
    """The component's arguments from the stack's settings: every covered region's targets, each
    keyed by its id, the same flow-log options as the CloudWatch flow logs, and the storage
    settings; flow logs replaced delete-first when ``delete_before_replace``; the bucket an
    archive for ``archive``'s accounts when it is one."""
    args = S3FlowLogsArgs(
        prefix=storage.prefix,
        file_format=storage.file_format,
        hive_partitions=storage.hive_partitions,
        per_hour_partition=storage.per_hour_partition,
        transitions=storage.transitions,
        expiration_days=storage.expiration_days,
        traffic_type=options.traffic_type,
        max_aggregation_interval=options.max_aggregation_interval,
        log_format=options.log_format,
        flow_log_name=options.flow_log_name,
        tags=options.tags,
        encrypt_logs=options.encrypt_logs,
        protect_logs=options.protect_logs,
    )
    if delete_before_replace:
        args["delete_before_replace"] = True
    if storage.bucket_arn is not None:
        args["bucket_arn"] = storage.bucket_arn
    accounts = getattr(archive, "accounts", ())
    if accounts:
        args["archive_accounts"] = list(accounts)
        args["archive_member_read"] = getattr(archive, "member_read", True)
    if options.kms_key_arn is not None:
        args["kms_key_arn"] = options.kms_key_arn
    for region, region_targets in targets.items():
        for field, keyed in region_targets.keyed().items():
            args.setdefault(field, {}).update(keyed)  # type: ignore[misc]
            if region.override:
                args.setdefault("target_regions", {}).update(dict.fromkeys(keyed, region.name))  # type: ignore[attr-defined]
    return args
