"""The ``FirehoseFlowLogs`` component: one more flow log per target, delivered to the Amazon Data
Firehose stream of its region, in the stack's account or another.

No ``from __future__ import annotations`` here: it would hide the args' real annotations from
Pulumi's schema analyzer.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, cast

import pulumi
import pulumi_aws as aws

from components.aws_context import AwsContext, aws_context
from components.config import SettingsError, raise_if
from components.firehose.documents import source_role_policy, source_role_trust_policy
from components.firehose.settings import (
    SOURCE_ROLE_PATH,
    FirehoseSettings,
    coverage_problems,
    cross_account_role_problems,
    delivery_problems,
    parse_stream_arn,
    stream_problems,
)
from components.flow_logs.component import COMPONENT_PACKAGE, TargetFlowLogs
from components.flow_logs.settings import FlowLogOptions, TrafficType
from components.flow_logs.targets import TARGET_KINDS, FlowLogTargets, TargetKind, target_problems
from components.regions import CoveredRegion

FIREHOSE_FLOW_LOGS_TYPE = f"{COMPONENT_PACKAGE}:index:FirehoseFlowLogs"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
DESTINATION_TYPE = "kinesis-data-firehose"


class FirehoseFlowLogsArgs(TypedDict, total=False):
    """What ``FirehoseFlowLogs`` logs, and to which streams."""

    stream_arns: Mapping[str, str]
    """The delivery stream's ARN by region, such as
    ``{"us-east-1": "arn:aws:firehose:us-east-1:111111111111:deliverystream/siem"}``. Each
    target delivers to its own region's stream; every target's region needs one. Required."""
    cross_account_role_arn: str
    """The role, in the streams' account, that the source role assumes when the streams are in
    another account than the provider's; its name starts with
    ``AWSLogDeliveryFirehoseCrossAccountRole``. Defaults to none: every stream in the provider's
    account, delivered through AWS's service-linked role."""
    vpc_ids: Mapping[str, pulumi.Input[str]]
    """The VPCs to log, keyed by a stable logical name that becomes part of each flow log's
    resource name. At least one target of any kind is required. Defaults to none."""
    subnet_ids: Mapping[str, pulumi.Input[str]]
    """Subnets to log, keyed as ``vpcIds`` is. Defaults to none."""
    eni_ids: Mapping[str, pulumi.Input[str]]
    """Network interfaces to log, keyed as ``vpcIds`` is. Defaults to none."""
    transit_gateway_ids: Mapping[str, pulumi.Input[str]]
    """Transit gateways to log, keyed as ``vpcIds`` is; 60 s and no traffic type. Defaults to
    none."""
    transit_gateway_attachment_ids: Mapping[str, pulumi.Input[str]]
    """Transit-gateway attachments to log, keyed as ``vpcIds`` is. Defaults to none."""
    target_regions: Mapping[str, str]
    """The region of each target (by its key) that is not in the provider's region. Defaults to
    none: every target in the provider's region."""
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
    delete_before_replace: bool
    """Replace a flow log by deleting it first, so that a replacement never needs one more flow
    log on the target than the stack keeps. The stream then misses the target's records for the
    short gap between the two. Defaults to false."""


def targets_of(args: FirehoseFlowLogsArgs) -> dict[TargetKind, Mapping[str, pulumi.Input[str]]]:
    """The targets in ``args``, by kind."""
    return {
        kind: cast(Mapping[str, pulumi.Input[str]], args.get(kind.field) or {})
        for kind in TARGET_KINDS
    }


def validate_firehose_args(args: FirehoseFlowLogsArgs, context: AwsContext) -> FlowLogOptions:
    """The flow-log options in ``args``; raises naming every problem, including a stream in
    another account with no cross-account role, judged against the provider's account."""
    stream_arns = dict(args.get("stream_arns") or {})
    role_arn = args.get("cross_account_role_arn") or None
    targets = targets_of(args)
    problems = target_problems(targets)
    if not stream_arns:
        problems.append("streamArns: is empty; give a delivery stream's ARN for each region.")
    problems += stream_problems(stream_arns) + cross_account_role_problems(role_arn, True)
    target_regions = args.get("target_regions") or {}
    logged_regions = {
        target_regions.get(key, context.region) for keyed in targets.values() for key in keyed
    }
    for region in sorted(logged_regions - set(stream_arns)):
        problems.append(
            f"firehoseArns: has no stream for {region}, where targets are logged; add one, or "
            "log only targets in regions that have a stream."
        )
    if not problems:
        problems += delivery_problems(stream_arns, role_arn, context.account_id)
    try:
        options = FlowLogOptions.from_args(args)
    except SettingsError as error:
        problems += str(error).split("\n")
    raise_if(problems)
    return options


class FirehoseFlowLogs(pulumi.ComponentResource):
    """Flow logs to Amazon Data Firehose: one per target, to its region's stream, recorded as
    the stack's other flow logs are (transit gateways at 60 s, with no traffic type).

    A stream in the provider's account needs no role: AWS delivers through its service-linked
    role ``AWSServiceRoleForLogDelivery``, which writes only to streams tagged
    ``LogDeliveryEnabled=true`` (AWS adds the tag; a stream managed as code must keep it). A
    stream in another account needs two roles: the component creates the source role,
    ``{name}-source-role``, and each flow log names it and the destination role together."""

    vpc_ids: pulumi.Output[list[str]]
    """The ids of the VPCs being logged, in the order of the ``vpcIds`` input."""
    flow_log_ids: pulumi.Output[list[str]]
    """The VPCs' Firehose flow logs' ids (``fl-...``), in the same order."""
    target_flow_log_ids: pulumi.Output[dict[str, str]]
    """Every Firehose flow log's id, by the key its target was given under."""
    source_role_arn: pulumi.Output[str | None]
    """The source role's ARN, or None when every stream is in the provider's account."""

    def __init__(
        self, name: str, args: FirehoseFlowLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # The provider's account decides which streams are another account's, so it is asked
        # before anything is registered: a missing role leaves nothing half-created.
        context = aws_context(pulumi.InvokeOptions(provider=opts.provider if opts else None))
        options = validate_firehose_args(args, context)
        super().__init__(FIREHOSE_FLOW_LOGS_TYPE, name, None, opts)
        stream_arns = dict(args["stream_arns"])
        target_regions = args.get("target_regions") or {}
        role_arn = args.get("cross_account_role_arn") or None

        # Both role ARNs or neither, on every flow log: the API refuses one alone.
        roles: dict[str, Any] = {}
        source_role: aws.iam.Role | None = None
        if role_arn is not None:
            regions = sorted(stream_arns)
            source_role = aws.iam.Role(
                f"{name}-source-role",
                path=SOURCE_ROLE_PATH,
                description="Delivers VPC flow logs to a Firehose stream in another account",
                assume_role_policy=json.dumps(source_role_trust_policy(context, regions)),
                tags=options.tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            policy = aws.iam.RolePolicy(
                f"{name}-source-policy",
                role=source_role.name,
                policy=source_role.arn.apply(
                    lambda arn: json.dumps(source_role_policy(context, arn, role_arn, regions))
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            # AWS checks the role's permissions when the flow log is created.
            roles = {
                "iam_role_arn": pulumi.Output.all(source_role.arn, policy.id).apply(
                    lambda values: values[0]
                ),
                "deliver_cross_account_role": role_arn,
            }

        def region_of(key: str) -> str | None:
            return target_regions.get(key)

        # One create per region: each region's targets deliver to that region's stream.
        by_region: dict[str, dict[TargetKind, Mapping[str, pulumi.Input[str]]]] = {}
        for kind, keyed in targets_of(args).items():
            for key, target_id in keyed.items():
                region = target_regions.get(key, context.region)
                by_region.setdefault(region, {k: {} for k in TARGET_KINDS})
                cast(dict[str, Any], by_region[region][kind])[key] = target_id
        logged = [
            TargetFlowLogs.create(
                name,
                region_targets,
                options,
                region_of=region_of,
                log_destination_type=DESTINATION_TYPE,
                log_destination=stream_arns[region],
                **(roles if _other_account(stream_arns[region], context) else {}),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    delete_before_replace=args.get("delete_before_replace") or None,
                ),
            )
            for region, region_targets in by_region.items()
        ]
        # Plain values, not outputs: the stack exports each region's ids and the streams.
        self.stream_arns = stream_arns
        self.cross_account = role_arn is not None
        self.flow_log_ids_by_region = {
            region: part.flow_log_ids for region, part in zip(by_region, logged, strict=True)
        }
        self.vpc_ids = _concatenated([part.vpc_ids for part in logged])
        self.flow_log_ids = _concatenated([part.flow_log_ids for part in logged])
        self.target_flow_log_ids = pulumi.Output.all(
            *[part.target_flow_log_ids for part in logged]
        ).apply(lambda maps: {k: v for m in maps for k, v in m.items()})
        self.source_role_arn = (
            source_role.arn if source_role is not None else pulumi.Output.from_input(None)
        )
        self.register_outputs(
            {
                "vpcIds": self.vpc_ids,
                "flowLogIds": self.flow_log_ids,
                "targetFlowLogIds": self.target_flow_log_ids,
                "sourceRoleArn": self.source_role_arn,
            }
        )


def _other_account(stream_arn: str, context: AwsContext) -> bool:
    stream = parse_stream_arn(stream_arn)
    return stream is not None and stream.account_id != context.account_id


def _concatenated(lists: list[pulumi.Output[list[str]]]) -> pulumi.Output[list[str]]:
    return pulumi.Output.all(*lists).apply(lambda values: [i for part in values for i in part])


def firehose_args(
    targets: Mapping[CoveredRegion, FlowLogTargets],
    options: FlowLogOptions,
    firehose: FirehoseSettings,
    *,
    delete_before_replace: bool = False,
) -> FirehoseFlowLogsArgs:
    """The component's arguments from the stack's settings: the targets of every region keyed
    in ``firehoseArns``, recorded with the same options as the stack's other flow logs. Raises
    when a key is not a covered region."""
    raise_if(coverage_problems(firehose.stream_arns, [region.name for region in targets]))
    args = FirehoseFlowLogsArgs(
        stream_arns=dict(firehose.stream_arns),
        traffic_type=options.traffic_type,
        max_aggregation_interval=options.max_aggregation_interval,
        log_format=options.log_format,
        flow_log_name=options.flow_log_name,
        tags=options.tags,
    )
    if firehose.cross_account_role_arn is not None:
        args["cross_account_role_arn"] = firehose.cross_account_role_arn
    if delete_before_replace:
        args["delete_before_replace"] = True
    for region, region_targets in targets.items():
        if region.name not in firehose.stream_arns:
            continue
        for field, keyed in region_targets.keyed().items():
            args.setdefault(field, {}).update(keyed)  # type: ignore[misc]
            if region.override:
                args.setdefault("target_regions", {}).update(dict.fromkeys(keyed, region.name))  # type: ignore[attr-defined]
    return args
