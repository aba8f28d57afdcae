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
from components.drift_repair.automation import (
    cloudwatch_destination,
    document_name,
    repair_document,
    s3_destination,
)
from components.drift_repair.documents import automation_trust_policy, repair_policy
from components.drift_repair.settings import (
    CONFIG_RULE,
    DriftRepairSettings,
    log_format_for_repair,
)
from components.flow_logs.component import COMPONENT_PACKAGE, KEY_TAG
from components.flow_logs.settings import FlowLogOptions, TrafficType
from components.storage.settings import FileFormat, StorageSettings

COMPONENT_TYPE = "vpc-flow-logs:index:DriftRepair"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
MAXIMUM_EXECUTION_FREQUENCY = "TwentyFour_Hours"
"""How often AWS Config re-evaluates the periodic rule: its own default, written down."""


class DriftRepairArgs(TypedDict, total=False):
    """Where repaired flow logs go and what they record. Give a log group and its delivery role,
    a bucket, or both: a repaired VPC gets a flow log to each."""

    region: str
    """The region whose VPCs are checked and repaired: a name such as ``eu-west-1``. The Config
    rule and its remediation are created there. Defaults to the provider's region."""
    log_group_arn: pulumi.Input[str]
    """The ARN (without ``:*``) of the CloudWatch log group repaired flow logs deliver to; it
    must be in ``region``. Needs ``deliveryRoleArn``. Defaults to none."""
    delivery_role_arn: pulumi.Input[str]
    """The ARN of the role the flow-logs service assumes to write into ``logGroupArn``; the
    automation may pass exactly this role, and only to the flow-logs service.
    Defaults to none."""
    log_bucket_arn: pulumi.Input[str]
    """Where in S3 repaired flow logs deliver, instead of or beside ``logGroupArn``: the
    bucket's ARN, followed by ``/prefix`` when the stack's S3 flow logs use one (an
    ``S3FlowLogs`` component's ``logDestination``). Defaults to none."""
    file_format: FileFormat
    """With ``logBucketArn``: ``parquet`` or ``plain-text``, as the bucket's other flow logs
    are written. Defaults to ``parquet``."""
    hive_partitions: bool
    """With ``logBucketArn``: write Hive-compatible (``key=value``) prefixes.
    Defaults to true."""
    per_hour_partition: bool
    """With ``logBucketArn``: add an hour level to the prefixes. Defaults to false."""
    traffic_type: TrafficType
    """The traffic the Config rule demands and repaired flow logs record: ALL, ACCEPT or REJECT.
    Defaults to ALL."""
    max_aggregation_interval: int
    """Seconds over which a repaired flow log aggregates a flow into one record: 60 or 600.
    Defaults to 60."""
    log_format: Sequence[str]
    """Record fields of repaired flow logs, in order; each a VPC flow-log field, listed once.
    Defaults to empty, meaning AWS's default version 2 format."""
    flow_log_name: str
    """The Name tag on each repaired flow log, 1 to 256 characters.
    Defaults to ``ASG-VPC-FlowLogs``."""
    maximum_automatic_attempts: int
    """How many times a repair of one VPC is attempted within ``retryAttemptSeconds``, 1 to
    25. Defaults to 5."""
    retry_attempt_seconds: int
    """The window, in seconds, over which those attempts are counted, 1 to 2678000.
    Defaults to 60."""
    tags: Mapping[str, str]
    """Tags for every resource created; keys must not start with ``aws:``. Defaults to none."""


def drift_repair_args(
    options: FlowLogOptions,
    region: str | None = None,
    storage: StorageSettings | None = None,
    *,
    log_group_arn: pulumi.Input[str] | None = None,
    delivery_role_arn: pulumi.Input[str] | None = None,
    log_bucket_arn: pulumi.Input[str] | None = None,
) -> DriftRepairArgs:
    """``DriftRepairArgs`` that repair VPCs in ``region`` (default: the provider's), recording
    what ``options`` say, into a ``VpcFlowLogs`` component's log group through its role, into an
    ``S3FlowLogs`` component's bucket folder in the layout ``storage`` gives it, or both."""
    args = DriftRepairArgs(
        traffic_type=options.traffic_type,
        max_aggregation_interval=options.max_aggregation_interval,
        log_format=options.log_format,
        flow_log_name=options.flow_log_name,
        tags=options.tags,
    )
    if log_bucket_arn is not None and storage is not None:
        args["file_format"] = storage.file_format
        args["hive_partitions"] = storage.hive_partitions
        args["per_hour_partition"] = storage.per_hour_partition
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
    ``VPC_FLOW_LOGS_ENABLED``, the component's own Systems Manager Automation document, which
    creates the flow log the stack's own flow logs are (traffic type, interval, format,
    destination, tags), an automatic remediation running it on every non-compliant VPC, and the
    role it runs as, which may do exactly what the document does. With a log group and a bucket,
    the document creates a flow log to each, as the stack gives its own VPCs. Config must already be
    recording in the account and region. Children are named ``{name}-role``, ``{name}-policy``,
    ``{name}-document`` (the document itself ``{name}-{stack}``), ``{name}-rule`` and
    ``{name}-remediation``."""

    config_rule_name: pulumi.Output[str]
    """The name of the Config rule that reports VPCs without flow logs."""
    config_rule_arn: pulumi.Output[str]
    """The ARN of that Config rule."""
    automation_role_arn: pulumi.Output[str]
    """The ARN of the role Systems Manager assumes to repair a VPC."""
    document_name: pulumi.Output[str]
    """The name of the Automation document that repairs a VPC."""

    def __init__(
        self, name: str, args: DriftRepairArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Validate before registering anything: a program in another language reaches this
        # component without the stack's settings, so the same rules run here.
        settings = DriftRepairSettings.from_args(args)

        super().__init__(COMPONENT_TYPE, name, None, opts)
        context = aws_context(pulumi.InvokeOptions(parent=self), settings.region)
        child = pulumi.ResourceOptions(parent=self)
        # Tagged as the rule is: the repair is this project's, whatever stack made it.
        owned_tags = {**settings.tags, KEY_TAG: COMPONENT_PACKAGE}
        runbook_name = document_name(name, pulumi.get_stack())

        role = aws.iam.Role(
            f"{name}-role",
            description=f"Runs {runbook_name} for AWS Config in {context.region}",
            assume_role_policy=json.dumps(automation_trust_policy(context)),
            tags=settings.tags,
            opts=child,
        )
        to_s3 = settings.log_bucket_arn is not None
        policy_text: pulumi.Input[str]
        if settings.to_cloudwatch:
            policy_text = pulumi.Output.from_input(settings.delivery_role_arn).apply(
                lambda arn: json.dumps(
                    repair_policy(context, delivery_role_arn=str(arn), to_s3=to_s3)
                )
            )
        else:
            policy_text = json.dumps(repair_policy(context, to_s3=True))
        policy = aws.iam.RolePolicy(f"{name}-policy", role=role.id, policy=policy_text, opts=child)
        runbook = aws.ssm.Document(
            f"{name}-document",
            name=runbook_name,
            document_type="Automation",
            document_format="JSON",
            content=_document_content(settings),
            region=settings.region,
            tags=owned_tags,
            opts=child,
        )

        rule = aws.cfg.Rule(
            f"{name}-rule",
            description="Every VPC has a flow log of the stack's traffic type (Security Hub EC2.6)",
            source={"owner": "AWS", "source_identifier": CONFIG_RULE},
            input_parameters=json.dumps({"trafficType": settings.traffic_type.value}),
            maximum_execution_frequency=MAXIMUM_EXECUTION_FREQUENCY,
            region=settings.region,
            # The deployer policy (deploy/deployer-policy.json) manages only rules with this tag.
            tags=owned_tags,
            opts=child,
        )
        aws.cfg.RemediationConfiguration(
            f"{name}-remediation",
            config_rule_name=rule.name,
            resource_type="AWS::EC2::VPC",
            target_type="SSM_DOCUMENT",
            target_id=runbook.name,
            automatic=True,
            maximum_automatic_attempts=settings.maximum_automatic_attempts,
            retry_attempt_seconds=settings.retry_attempt_seconds,
            parameters=[
                # Config hands over the non-compliant VPC's id; the rest is in the document.
                {"name": "VpcId", "resource_value": "RESOURCE_ID"},
                {"name": "AutomationAssumeRole", "static_value": role.arn},
            ],
            region=settings.region,
            # The first automatic repair may start at once: the role's permissions come first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )

        self.config_rule_name = rule.name
        self.config_rule_arn = rule.arn
        self.automation_role_arn = role.arn
        self.document_name = runbook.name
        self.register_outputs(
            {
                "configRuleName": self.config_rule_name,
                "configRuleArn": self.config_rule_arn,
                "automationRoleArn": self.automation_role_arn,
                "documentName": self.document_name,
            }
        )


def _document_content(settings: DriftRepairSettings) -> pulumi.Output[str]:
    """The repair document's JSON: the stack's flow-log settings, with the destinations' ARNs
    (outputs of other resources) filled in once they are known, CloudWatch's first."""

    def render(arns: list[object]) -> str:
        log_group_arn, delivery_role_arn, log_bucket_arn = arns
        destinations = []
        if settings.to_cloudwatch:
            destinations.append(cloudwatch_destination(str(log_group_arn), str(delivery_role_arn)))
        if log_bucket_arn is not None:
            destinations.append(
                s3_destination(
                    str(log_bucket_arn),
                    settings.file_format,
                    settings.hive_partitions,
                    settings.per_hour_partition,
                )
            )
        return json.dumps(
            repair_document(
                traffic_type=settings.traffic_type.value,
                max_aggregation_interval=settings.max_aggregation_interval,
                log_format=log_format_for_repair(settings.log_format),
                destinations=destinations,
                flow_log_name=settings.flow_log_name,
                tags=settings.tags,
            ),
            indent=2,
        )

    return pulumi.Output.all(
        settings.log_group_arn, settings.delivery_role_arn, settings.log_bucket_arn
    ).apply(render)
