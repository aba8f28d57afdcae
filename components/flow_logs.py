"""The ``VpcFlowLogs`` component: flow logs on any number of VPCs, delivered to CloudWatch Logs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.config import SettingsError
from components.flow_log_settings import FlowLogOptions
from components.iam import (
    AwsContext,
    flow_logs_delivery_policy,
    flow_logs_trust_policy,
    log_group_arn,
    log_group_key_policy,
)
from components.log_format import render_log_format
from components.vpc_lookup import validate_vpc_ids

COMPONENT_PACKAGE = "vpc-flow-logs"
COMPONENT_TYPE = f"{COMPONENT_PACKAGE}:index:VpcFlowLogs"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
KEY_TAG = "managed-by"
"""Tag on a key the component creates, naming this project as its owner."""


@dataclass(frozen=True)
class VpcFlowLogsArgs:
    """What ``VpcFlowLogs`` logs, and how."""

    vpc_ids: Mapping[str, pulumi.Input[str]]
    """The VPCs to log, keyed by a stable logical name that becomes part of each flow log's
    resource name (use the VPC id for looked-up VPCs, a name of your own for VPCs created in
    the same program). Ids may be ``Output`` values. Required; at least one."""
    options: FlowLogOptions = field(default_factory=FlowLogOptions)
    """Traffic type, interval, log group, retention, encryption, tags. Defaults to
    ``FlowLogOptions()``: ALL traffic, 60 s, ``/aws/vpc/flowlogs``, 365 days."""


class VpcFlowLogs(pulumi.ComponentResource):
    """One CloudWatch log group, one least-privilege delivery role, and a flow log per VPC.

    Children: ``{name}-log-group``, ``{name}-role``, ``{name}-delivery-policy``, optionally
    ``{name}-key``, and ``{name}-{key}`` for each entry of ``args.vpc_ids``. A further VPC adds
    exactly one resource.
    """

    vpc_ids: pulumi.Output[list[str]]
    """The ids of the VPCs being logged, in the order of ``args.vpc_ids``."""
    flow_log_ids: pulumi.Output[list[str]]
    """The flow logs' ids (``fl-...``), in the same order."""
    log_group_name: pulumi.Output[str]
    """The log group's name."""
    log_group_arn: pulumi.Output[str]
    """The log group's ARN, without the ``:*`` suffix."""
    role_arn: pulumi.Output[str]
    """The ARN of the role the flow-logs service assumes to deliver records."""
    kms_key_arn: pulumi.Output[str | None]
    """The ARN of the key encrypting the log group, or None when it is not encrypted."""

    def __init__(
        self, name: str, args: VpcFlowLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Validate before registering anything: a bad argument leaves nothing half-created.
        literal_ids = [v for v in args.vpc_ids.values() if isinstance(v, str)]
        problems = validate_vpc_ids(literal_ids)
        if not args.vpc_ids:
            problems.insert(0, "vpcIds: no VPC to log; give at least one.")
        if problems:
            raise SettingsError("\n".join(problems))

        super().__init__(COMPONENT_TYPE, name, None, opts)
        options = args.options
        context = _aws_context(pulumi.InvokeOptions(parent=self))
        # Logs are evidence: when asked, a destroy must not be able to delete them or their key.
        kept = pulumi.ResourceOptions(parent=self, protect=options.protect_logs)

        key_arn: pulumi.Input[str] | None = options.kms_key_arn
        if options.encrypt_logs:
            key = aws.kms.Key(
                f"{name}-key",
                description=f"Encrypts the VPC flow-log group {options.log_group_name}",
                enable_key_rotation=True,
                deletion_window_in_days=30,
                policy=json.dumps(log_group_key_policy(context, options.log_group_name)),
                # The deployer policy (deploy/deployer-policy.json) manages only keys with this tag.
                tags={**options.tags, KEY_TAG: COMPONENT_PACKAGE},
                opts=kept,
            )
            key_arn = key.arn

        log_group = aws.cloudwatch.LogGroup(
            f"{name}-log-group",
            name=options.log_group_name,
            retention_in_days=options.retention_in_days,
            kms_key_id=key_arn,
            tags=options.tags,
            opts=kept,
        )

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
                flow_logs_delivery_policy(log_group_arn(context, options.log_group_name))
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        log_format = render_log_format(options.log_format) if options.log_format else None
        flow_logs = [
            aws.ec2.FlowLog(
                f"{name}-{vpc_key}",
                vpc_id=vpc_id,
                traffic_type=options.traffic_type.value,
                max_aggregation_interval=options.max_aggregation_interval,
                log_destination_type="cloud-watch-logs",
                log_destination=log_group.arn,
                iam_role_arn=role.arn,
                log_format=log_format,
                tags={**options.tags, "Name": options.flow_log_name},
                # The role's permissions must exist before AWS checks them at creation time.
                opts=pulumi.ResourceOptions(parent=self, depends_on=[delivery_policy]),
            )
            for vpc_key, vpc_id in args.vpc_ids.items()
        ]

        self.vpc_ids = pulumi.Output.all(*(f.vpc_id for f in flow_logs))
        self.flow_log_ids = pulumi.Output.all(*(f.id for f in flow_logs))
        self.log_group_name = log_group.name
        self.log_group_arn = log_group.arn
        self.role_arn = role.arn
        self.kms_key_arn = log_group.kms_key_id
        self.register_outputs(
            {
                "vpcIds": self.vpc_ids,
                "flowLogIds": self.flow_log_ids,
                "logGroupName": self.log_group_name,
                "logGroupArn": self.log_group_arn,
                "roleArn": self.role_arn,
                "kmsKeyArn": self.kms_key_arn,
            }
        )


def _aws_context(opts: pulumi.InvokeOptions) -> AwsContext:
    """Account, region and partition from the provider this component deploys with."""
    identity = aws.get_caller_identity(opts=opts)
    partition = aws.get_partition(opts=opts)
    return AwsContext(
        account_id=identity.account_id,
        region=aws.get_region(opts=opts).region,
        partition=partition.partition,
        dns_suffix=partition.dns_suffix,
    )
