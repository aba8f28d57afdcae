"""The ``VpcFlowLogs`` component: flow logs on any number of VPCs, delivered to CloudWatch Logs."""

# No ``from __future__ import annotations`` here: Pulumi's schema analyzer reads the real
# annotations of ``VpcFlowLogsArgs`` and of the component's outputs.

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, cast

import pulumi
import pulumi_aws as aws

from components.aws_context import aws_context
from components.config import raise_if
from components.flow_logs.documents import (
    flow_logs_delivery_policy,
    flow_logs_trust_policy,
    log_group_arn,
    log_group_key_policy,
)
from components.flow_logs.settings import (
    FlowLogOptions,
    TrafficType,
    kms_key_arn_problems,
    transit_gateway_log_group_name,
    transit_gateway_log_group_problems,
)
from components.flow_logs.targets import (
    TARGET_KINDS,
    VPC,
    FlowLogTargets,
    TargetKind,
    flow_log_target_args,
    logs_transit_gateways,
    target_problems,
)
from components.regions import region_problems

COMPONENT_PACKAGE = "vpc-flow-logs"
COMPONENT_TYPE = f"{COMPONENT_PACKAGE}:index:VpcFlowLogs"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
KEY_TAG = "managed-by"
"""Tag on a key the component creates, naming this project as its owner."""


class VpcFlowLogsArgs(TypedDict, total=False):
    """What ``VpcFlowLogs`` logs, and how. At least one target of any kind is required."""

    vpc_ids: Mapping[str, pulumi.Input[str]]
    """The VPCs to log, keyed by a stable logical name that becomes part of each flow log's
    resource name: the VPC id for a looked-up VPC, a name of your own for a VPC created in the
    same program. The keys must be known when the program runs; the ids may be outputs of other
    resources (an id not yet known is not checked here; AWS refuses a bad one). At least one
    target of any kind is required. Defaults to none."""
    subnet_ids: Mapping[str, pulumi.Input[str]]
    """Subnets to log, keyed as ``vpcIds`` is; each gets a flow log of its own with the same
    traffic type, interval and format. Defaults to none."""
    eni_ids: Mapping[str, pulumi.Input[str]]
    """Network interfaces to log, keyed as ``vpcIds`` is. Defaults to none."""
    transit_gateway_ids: Mapping[str, pulumi.Input[str]]
    """Transit gateways to log, keyed as ``vpcIds`` is. Their flow logs take no traffic type, a
    60 s interval and AWS's default transit-gateway format, whatever the other settings say.
    Defaults to none."""
    transit_gateway_attachment_ids: Mapping[str, pulumi.Input[str]]
    """Transit-gateway attachments to log, keyed as ``vpcIds`` is, logged as transit gateways
    are. Defaults to none."""
    region: str
    """The region of the log group, key and flow logs (the role is global), such as
    ``eu-west-1``; the targets must be in it. Defaults to the provider's region."""
    traffic_type: TrafficType
    """Which traffic to record: ALL, ACCEPT or REJECT. Defaults to ALL, which CIS and Security
    Hub EC2.6 accept."""
    max_aggregation_interval: int
    """Seconds over which a flow is aggregated into one record: 60 or 600. Defaults to 60, so
    alarms see traffic within about a minute (AWS's own default is 600)."""
    log_group_name: str
    """The CloudWatch Logs group that receives the records: 1 to 512 characters from
    ``A-Z a-z 0-9 . - _ / #``, not starting with ``aws/``, unique per account and region.
    Defaults to ``/aws/vpc/flowlogs``."""
    retention_in_days: int
    """How long CloudWatch keeps records, in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
    180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. Never-expire (0) is
    refused. Defaults to 365 (CIS)."""
    log_format: Sequence[str]
    """Record fields in order, such as ``["version", "srcaddr", "dstaddr"]``; each is a VPC
    flow-log field, listed once. Defaults to empty, meaning AWS's default version 2 format."""
    kms_key_arn: pulumi.Input[str]
    """The ARN (not an alias) of an existing KMS key to encrypt the log group with; its policy
    must admit CloudWatch Logs. Excludes ``encryptLogs``. A key ARN not yet known is checked
    when it becomes known. Defaults to none."""
    encrypt_logs: bool
    """Create a customer-managed KMS key, with rotation, for the log group. Excludes
    ``kmsKeyArn``. Defaults to false."""
    flow_log_name: str
    """The Name tag on each flow log, 1 to 256 characters. Defaults to ``ASG-VPC-FlowLogs``."""
    tags: Mapping[str, str]
    """Tags for every resource created; keys must not start with ``aws:``. Defaults to none."""
    protect_logs: bool
    """Protect the log group and key from ``pulumi destroy``. Defaults to false."""
    delete_before_replace: bool
    """Replace a flow log by deleting it first. Pulumi replaces create-first, which briefly
    puts one more flow log on the target: set this when each target has another flow log (such
    as an ``S3FlowLogs`` one). AWS refuses a second flow log with the same configuration and
    destination, and once listed at most two per resource (no longer documented); delete-first
    meets neither refusal. This destination then misses the target's records for the short gap
    between the two. Defaults to false."""


def flow_log_args(
    targets: FlowLogTargets,
    options: FlowLogOptions,
    region: str | None = None,
    *,
    delete_before_replace: bool = False,
) -> VpcFlowLogsArgs:
    """``VpcFlowLogsArgs`` for ``targets``, each keyed by its id, recorded and kept as
    ``options`` say, in ``region`` (default: the provider's), replaced delete-first when
    ``delete_before_replace``."""
    args = VpcFlowLogsArgs(
        traffic_type=options.traffic_type,
        max_aggregation_interval=options.max_aggregation_interval,
        log_group_name=options.log_group_name,
        retention_in_days=options.retention_in_days,
        log_format=options.log_format,
        encrypt_logs=options.encrypt_logs,
        flow_log_name=options.flow_log_name,
        tags=options.tags,
        protect_logs=options.protect_logs,
    )
    if options.kms_key_arn is not None:
        args["kms_key_arn"] = options.kms_key_arn
    args.update(targets.keyed())  # type: ignore[typeddict-item]
    if region is not None:
        args["region"] = region
    if delete_before_replace:
        args["delete_before_replace"] = True
    return args


class VpcFlowLogs(pulumi.ComponentResource):
    """VPC Flow Logs to CloudWatch Logs: one log group with bounded retention, one
    least-privilege delivery role, optionally a customer-managed KMS key, and one flow log per
    VPC, subnet, network interface or transit gateway. Children are named ``{name}-log-group``,
    ``{name}-role``, ``{name}-delivery-policy``, ``{name}-key`` and ``{name}-{target key}``; a
    further target adds exactly one resource."""

    vpc_ids: pulumi.Output[list[str]]
    """The ids of the VPCs being logged, in the order of the ``vpcIds`` input."""
    flow_log_ids: pulumi.Output[list[str]]
    """The VPC flow logs' ids (``fl-...``), in the same order."""
    target_flow_log_ids: pulumi.Output[dict[str, str]]
    """Every flow log's id, VPCs' and other targets', by the key its target was given under."""
    log_group_name: pulumi.Output[str]
    """The log group's name."""
    log_group_arn: pulumi.Output[str]
    """The log group's ARN, without the ``:*`` suffix."""
    transit_gateway_log_group_name: pulumi.Output[str | None]
    """The group that receives transit-gateway and attachment flow logs,
    ``<logGroupName>/transit-gateways``, kept apart because they write another format; None
    when no transit gateway or attachment is logged."""
    role_arn: pulumi.Output[str]
    """The ARN of the role the flow-logs service assumes to deliver records."""
    kms_key_arn: pulumi.Output[str | None]
    """The ARN of the key encrypting the log group, or None when it is not encrypted."""

    def __init__(
        self, name: str, args: VpcFlowLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Validate before registering anything: a bad argument leaves nothing half-created. A
        # program in another language reaches this component without the stack's settings, so
        # the same rules run here.
        targets: dict[TargetKind, Mapping[str, pulumi.Input[str]]] = {
            kind: cast(Mapping[str, pulumi.Input[str]], args.get(kind.field) or {})
            for kind in TARGET_KINDS
        }
        region = args.get("region")
        raise_if(target_problems(targets) + (region_problems([region], "region") if region else []))
        options = FlowLogOptions.from_args(args)
        group_names = [options.log_group_name]
        if logs_transit_gateways(targets):
            raise_if(transit_gateway_log_group_problems(options.log_group_name))
            group_names.append(transit_gateway_log_group_name(options.log_group_name))

        super().__init__(COMPONENT_TYPE, name, None, opts)
        context = aws_context(pulumi.InvokeOptions(parent=self), region)
        # Logs are evidence: when asked, a destroy must not be able to delete them or their key.
        kept = pulumi.ResourceOptions(parent=self, protect=options.protect_logs)

        key_arn: pulumi.Input[str] | None = options.kms_key_arn
        if isinstance(key_arn, pulumi.Output):
            key_arn = key_arn.apply(_checked_key_arn)
        if options.encrypt_logs:
            key = aws.kms.Key(
                f"{name}-key",
                description=f"Encrypts the VPC flow-log group {options.log_group_name}",
                region=region,
                enable_key_rotation=True,
                deletion_window_in_days=30,
                policy=json.dumps(log_group_key_policy(context, *group_names)),
                # The deployer policy (deploy/deployer-policy.json) manages only keys with this tag.
                tags={**options.tags, KEY_TAG: COMPONENT_PACKAGE},
                opts=kept,
            )
            key_arn = key.arn

        # The transit gateways' group, when there is one, is kept as the VPCs' group is.
        log_group, *transit_gateway_group = (
            aws.cloudwatch.LogGroup(
                resource_name,
                name=group_name,
                region=region,
                retention_in_days=options.retention_in_days,
                kms_key_id=key_arn,
                tags=options.tags,
                opts=kept,
            )
            for resource_name, group_name in zip(
                (f"{name}-log-group", f"{name}-transit-gateway-log-group")[: len(group_names)],
                group_names,
                strict=True,
            )
        )
        transit_gateway_log_group = transit_gateway_group[0] if transit_gateway_group else None

        role = aws.iam.Role(
            f"{name}-role",
            description="Delivers VPC flow-log records to CloudWatch Logs",
            assume_role_policy=json.dumps(flow_logs_trust_policy(context)),
            tags=options.tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        # The ARN is derived rather than read from log_group.arn, so the document is plain text
        # in a preview too, where the policy pack checks it before anything is created.
        delivery_policy = aws.iam.RolePolicy(
            f"{name}-delivery-policy",
            role=role.id,
            policy=json.dumps(
                flow_logs_delivery_policy(*(log_group_arn(context, n) for n in group_names))
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        # The role's permissions must exist before AWS checks them at creation time, so the
        # role's ARN is handed on once the policy exists too: ordered through data, at the cost
        # of one output for every flow log rather than a dependency list for each.
        role_arn_once_permitted = pulumi.Output.all(role.arn, delivery_policy.id).apply(
            lambda values: values[0]
        )
        logged = TargetFlowLogs.create(
            name,
            targets,
            options,
            region_of=lambda _key: region,
            log_destination_type="cloud-watch-logs",
            log_destination=log_group.arn,
            transit_gateway_destination=(
                {"log_destination": transit_gateway_log_group.arn}
                if transit_gateway_log_group
                else None
            ),
            iam_role_arn=role_arn_once_permitted,
            opts=pulumi.ResourceOptions(
                parent=self,
                # None, not False, leaves the engine's own choice alone when not asked.
                delete_before_replace=args.get("delete_before_replace") or None,
            ),
        )
        self.vpc_ids = logged.vpc_ids
        self.flow_log_ids = logged.flow_log_ids
        self.target_flow_log_ids = logged.target_flow_log_ids
        self.log_group_name = log_group.name
        self.log_group_arn = log_group.arn
        self.transit_gateway_log_group_name = (
            transit_gateway_log_group.name
            if transit_gateway_log_group
            else pulumi.Output.from_input(None)
        )
        self.role_arn = role.arn
        self.kms_key_arn = log_group.kms_key_id
        self.register_outputs(
            {
                "vpcIds": self.vpc_ids,
                "flowLogIds": self.flow_log_ids,
                "targetFlowLogIds": self.target_flow_log_ids,
                "logGroupName": self.log_group_name,
                "logGroupArn": self.log_group_arn,
                "transitGatewayLogGroupName": self.transit_gateway_log_group_name,
                "roleArn": self.role_arn,
                "kmsKeyArn": self.kms_key_arn,
            }
        )


@dataclass(frozen=True)
class TargetFlowLogs:
    """One flow log per target, of every kind, to one destination, and the ids they report."""

    vpc_ids: pulumi.Output[list[str]]
    """The VPCs' ids, in the order the VPC targets were given."""
    flow_log_ids: pulumi.Output[list[str]]
    """The VPCs' flow logs' ids, in the same order."""
    target_flow_log_ids: pulumi.Output[dict[str, str]]
    """Every flow log's id, by the key its target was given under."""

    @staticmethod
    def create(
        name: str,
        targets: Mapping[TargetKind, Mapping[str, pulumi.Input[str]]],
        options: FlowLogOptions,
        *,
        region_of: Callable[[str], str | None],
        opts: pulumi.ResourceOptions,
        transit_gateway_destination: Mapping[str, Any] | None = None,
        **destination: Any,
    ) -> "TargetFlowLogs":
        """``{name}-{key}`` for each target: what it records from ``options`` (as its kind
        allows), in ``region_of(key)``, delivered to ``destination``, or for transit gateways
        and attachments to ``destination`` updated by ``transit_gateway_destination``."""
        tags = {**options.tags, "Name": options.flow_log_name}
        keys: list[str] = []
        ids: list[pulumi.Output[str]] = []
        for kind in TARGET_KINDS:
            delivery = destination
            if kind.transit_gateway and transit_gateway_destination:
                delivery = {**destination, **transit_gateway_destination}
            for key, target_id in targets[kind].items():
                flow_log = aws.ec2.FlowLog(
                    f"{name}-{key}",
                    **flow_log_target_args(kind, target_id, options),
                    region=region_of(key),
                    tags=tags,
                    opts=opts,
                    **delivery,
                )
                keys.append(key)
                ids.append(flow_log.id)
        # One gather for every id; the VPCs' list is read from it, in the VPCs' order.
        by_key = pulumi.Output.all(*ids).apply(lambda known: dict(zip(keys, known, strict=True)))
        vpc_keys = list(targets[VPC])
        return TargetFlowLogs(
            vpc_ids=_list_output(list(targets[VPC].values())),
            flow_log_ids=by_key.apply(lambda found: [found[key] for key in vpc_keys]),
            target_flow_log_ids=by_key,
        )


def _list_output(values: list[pulumi.Input[str]]) -> pulumi.Output[list[str]]:
    """``values`` as one output. Ids known when the program runs, as looked-up VPCs' are, make
    one output of the whole list: ``Output.all`` would make an output, a task and a future for
    each, a tenth of what the program adds per VPC."""
    known = [value for value in values if isinstance(value, str)]
    if len(known) == len(values):
        return pulumi.Output.from_input(None).apply(lambda _: known)
    return pulumi.Output.all(*values)


def _checked_key_arn(arn: str) -> str:
    """A key ARN that was an output when the component was built, checked once it is known."""
    raise_if(kms_key_arn_problems(arn))
    return arn
