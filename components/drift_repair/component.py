"""The ``DriftRepair`` component: AWS Config finds VPCs without flow logs and Systems Manager
gives them one, in one region, including VPCs created outside the stack after it was deployed."""

# No ``from __future__ import annotations`` here: Pulumi's schema analyzer reads the real
# annotations of ``DriftRepairArgs`` and of the component's outputs.

import json
from collections.abc import Mapping, Sequence
from typing import TypedDict

import pulumi
import pulumi_aws as aws

from components.aws_context import aws_context
from components.drift_repair.documents import (
    automation_trust_policy,
    cloudwatch_repair_policy,
    s3_repair_policy,
)
from components.drift_repair.settings import (
    CONFIG_RULE,
    RUNBOOK,
    DriftRepairSettings,
    log_format_for_repair,
)
from components.flow_logs.component import COMPONENT_PACKAGE, KEY_TAG
from components.flow_logs.settings import FlowLogOptions, TrafficType

COMPONENT_TYPE = "vpc-flow-logs:index:DriftRepair"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
MAXIMUM_EXECUTION_FREQUENCY = "TwentyFour_Hours"
"""How often AWS Config re-evaluates the periodic rule: its own default, written down."""


class DriftRepairArgs(TypedDict, total=False):
    """Where repaired flow logs go and what they record. Give a log group and its delivery role,
    or a bucket."""

    region: str
    """The region whose VPCs are checked and repaired: a name such as ``eu-west-1``. The Config
    rule and its remediation are created there. Defaults to the provider's region."""
    log_group_arn: pulumi.Input[str]
    """The ARN (without ``:*``) of the CloudWatch log group repaired flow logs deliver to; it
    must be in ``region``. Needs ``delivery_role_arn``; excludes ``log_bucket_arn``.
    Defaults to none."""
    delivery_role_arn: pulumi.Input[str]
    """The ARN of the role the flow-logs service assumes to write into ``log_group_arn``; the
    automation may pass exactly this role, and only to the flow-logs service.
    Defaults to none."""
    log_bucket_arn: pulumi.Input[str]
    """The ARN of the S3 bucket, optionally followed by ``/prefix``, that repaired flow logs
    deliver to instead of CloudWatch Logs. Excludes ``log_group_arn`` and
    ``delivery_role_arn``. Defaults to none."""
    traffic_type: TrafficType
    """The traffic the Config rule demands and repaired flow logs record: ALL, ACCEPT or REJECT.
    Defaults to ALL."""
    log_format: Sequence[str]
    """Record fields of repaired flow logs, in order; each a VPC flow-log field, listed once.
    Defaults to empty, meaning AWS's default version 2 format."""
    maximum_automatic_attempts: int
    """How many times a repair of one VPC is attempted within ``retry_attempt_seconds``, 1 to
    25. Defaults to 5."""
    retry_attempt_seconds: int
    """The window, in seconds, over which those attempts are counted, 1 to 2678000.
    Defaults to 60."""
    tags: Mapping[str, str]
    """Tags for every resource created; keys must not start with ``aws:``. Defaults to none."""


def drift_repair_args(
    options: FlowLogOptions,
    region: str | None = None,
    *,
    log_group_arn: pulumi.Input[str] | None = None,
    delivery_role_arn: pulumi.Input[str] | None = None,
    log_bucket_arn: pulumi.Input[str] | None = None,
) -> DriftRepairArgs:
    """``DriftRepairArgs`` that repair VPCs in ``region`` (default: the provider's), recording
    what ``options`` say, into a ``VpcFlowLogs`` component's log group through its role, or into
    an ``S3FlowLogs`` component's bucket."""
    args = DriftRepairArgs(
        traffic_type=options.traffic_type,
        log_format=options.log_format,
        tags=options.tags,
    )
    destination = {
        "log_group_arn": log_group_arn,
        "delivery_role_arn": delivery_role_arn,
        "log_bucket_arn": log_bucket_arn,
    }
    args.update({k: v for k, v in destination.items() if v is not None})  # type: ignore[typeddict-item]
    if region is not None:
        args["region"] = region
    return args


class DriftRepair(pulumi.ComponentResource):
    """Repairs VPCs without a flow log, in one region: the AWS Config managed rule
    ``VPC_FLOW_LOGS_ENABLED``, an automatic remediation running the Systems Manager runbook
    ``AWSSupport-EnableVPCFlowLogs`` on every non-compliant VPC, and the least-privilege role
    the runbook runs as. Config must already be recording in the account and region. Children
    are named ``{name}-role``, ``{name}-policy``, ``{name}-rule`` and ``{name}-remediation``."""

    config_rule_name: pulumi.Output[str]
    """The name of the Config rule that reports VPCs without flow logs."""
    config_rule_arn: pulumi.Output[str]
    """The ARN of that Config rule."""
    automation_role_arn: pulumi.Output[str]
    """The ARN of the role Systems Manager assumes to repair a VPC."""

    def __init__(
        self, name: str, args: DriftRepairArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Validate before registering anything: a program in another language reaches this
        # component without the stack's settings, so the same rules run here.
        settings = DriftRepairSettings.from_args(args)

        super().__init__(COMPONENT_TYPE, name, None, opts)
        context = aws_context(pulumi.InvokeOptions(parent=self), settings.region)
        child = pulumi.ResourceOptions(parent=self)

        role = aws.iam.Role(
            f"{name}-role",
            description=f"Runs {RUNBOOK} for AWS Config in {context.region}",
            assume_role_policy=json.dumps(automation_trust_policy(context)),
            tags=settings.tags,
            opts=child,
        )
        if settings.log_bucket_arn is not None:
            document = pulumi.Output.from_input(settings.log_bucket_arn).apply(
                lambda arn: json.dumps(s3_repair_policy(context, arn))
            )
        else:
            document = pulumi.Output.from_input(settings.delivery_role_arn).apply(
                lambda arn: json.dumps(cloudwatch_repair_policy(context, str(arn)))
            )
        policy = aws.iam.RolePolicy(f"{name}-policy", role=role.id, policy=document, opts=child)

        rule = aws.cfg.Rule(
            f"{name}-rule",
            description="Every VPC has a flow log of the stack's traffic type (Security Hub EC2.6)",
            source={"owner": "AWS", "source_identifier": CONFIG_RULE},
            input_parameters=json.dumps({"trafficType": settings.traffic_type.value}),
            maximum_execution_frequency=MAXIMUM_EXECUTION_FREQUENCY,
            region=settings.region,
            # The deployer policy (deploy/deployer-policy.json) manages only rules with this tag.
            tags={**settings.tags, KEY_TAG: COMPONENT_PACKAGE},
            opts=child,
        )
        aws.cfg.RemediationConfiguration(
            f"{name}-remediation",
            config_rule_name=rule.name,
            resource_type="AWS::EC2::VPC",
            target_type="SSM_DOCUMENT",
            target_id=RUNBOOK,
            automatic=True,
            maximum_automatic_attempts=settings.maximum_automatic_attempts,
            retry_attempt_seconds=settings.retry_attempt_seconds,
            parameters=_runbook_parameters(settings, role.arn),
            region=settings.region,
            # The first automatic repair may start at once: the role's permissions come first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )

        self.config_rule_name = rule.name
        self.config_rule_arn = rule.arn
        self.automation_role_arn = role.arn
        self.register_outputs(
            {
                "configRuleName": self.config_rule_name,
                "configRuleArn": self.config_rule_arn,
                "automationRoleArn": self.automation_role_arn,
            }
        )


def _runbook_parameters(
    settings: DriftRepairSettings, automation_role_arn: pulumi.Input[str]
) -> list[aws.cfg.RemediationConfigurationParameterArgs]:
    """The runbook's parameters: the non-compliant VPC from Config, the rest the stack's own."""
    parameter = aws.cfg.RemediationConfigurationParameterArgs
    parameters = [
        parameter(name="ResourceIds", resource_value="RESOURCE_ID"),
        parameter(name="LogDestinationType", static_value=settings.destination_type),
    ]
    if settings.log_bucket_arn is not None:
        parameters.append(parameter(name="LogDestinationARN", static_value=settings.log_bucket_arn))
    else:
        parameters += [
            parameter(name="LogDestinationARN", static_value=settings.log_group_arn),
            parameter(name="DeliverLogsPermissionArn", static_value=settings.delivery_role_arn),
        ]
    parameters.append(parameter(name="TrafficType", static_value=settings.traffic_type.value))
    log_format = log_format_for_repair(settings.log_format)
    if log_format is not None:
        parameters.append(parameter(name="LogFormat", static_value=log_format))
    parameters.append(parameter(name="AutomationAssumeRole", static_value=automation_role_arn))
    return parameters
