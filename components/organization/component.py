"""The ``OrganizationFlowLogs`` component: VPC flow logs in every account and region of an AWS
organisation, through a CloudWatch telemetry rule for the organisation."""

# No ``from __future__ import annotations`` here: Pulumi's schema analyzer reads the real
# annotations of ``OrganizationFlowLogsArgs`` and of the component's outputs.

from collections.abc import Mapping, Sequence
from typing import TypedDict

import pulumi
import pulumi_aws as aws
from pulumi_aws import observabilityadmin as telemetry

from components.flow_logs.component import COMPONENT_PACKAGE, KEY_TAG
from components.flow_logs.settings import FlowLogOptions, TrafficType
from components.organization.settings import OrganizationSettings

COMPONENT_TYPE = "vpc-flow-logs:index:OrganizationFlowLogs"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""


class OrganizationFlowLogsArgs(TypedDict, total=False):
    """What the organisation's flow logs record and where they are kept. Every key is
    optional."""

    traffic_type: TrafficType
    """Which traffic to record: ALL, ACCEPT or REJECT. Defaults to ALL."""
    max_aggregation_interval: int
    """Seconds over which a flow is aggregated into one record: 60 or 600. Defaults to 60."""
    log_group_name: str
    """The prefix of the log group made in each account: ``<prefix>/<accountId>/<resourceId>``.
    From ``A-Z a-z 0-9 _ / -`` only, at most 477 characters, not starting with ``aws/``.
    Defaults to ``/aws/vpc/flowlogs``."""
    retention_in_days: int
    """How long those log groups keep records, in days: a CloudWatch Logs retention (1, 3, 5,
    7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or
    3653). Defaults to 365."""
    log_format: Sequence[str]
    """Record fields in order; each a VPC flow-log field, listed once. Defaults to empty,
    meaning AWS's default version 2 format."""
    rule_name: str
    """The telemetry rule's name, 1 to 100 characters from ``A-Z a-z 0-9 -``.
    Defaults to ``vpc-flow-logs``."""
    region: str
    """The home region of the evaluation and the rule, which the rule replicates to every
    region. Defaults to the provider's region."""
    tags: Mapping[str, str]
    """Tags for the rule; keys must not start with ``aws:``. Defaults to none."""


def organization_args(options: FlowLogOptions) -> OrganizationFlowLogsArgs:
    """``OrganizationFlowLogsArgs`` that carry a stack's own flow-log options to the whole
    organisation."""
    return OrganizationFlowLogsArgs(
        traffic_type=options.traffic_type,
        max_aggregation_interval=options.max_aggregation_interval,
        log_group_name=options.log_group_name,
        retention_in_days=options.retention_in_days,
        log_format=options.log_format,
        tags=options.tags,
    )


class OrganizationFlowLogs(pulumi.ComponentResource):
    """VPC flow logs for every VPC in every account and region of the organisation: CloudWatch
    telemetry evaluation for the organisation, then an organisation telemetry rule for
    ``AWS::EC2::VPC`` ``VPC_FLOW_LOGS`` in all regions. Run it from the management account or a
    delegated administrator, with trusted access for CloudWatch already enabled. Children are
    named ``{name}-evaluation`` and ``{name}-rule``."""

    rule_arn: pulumi.Output[str]
    """The ARN of the organisation telemetry rule."""
    destination_pattern: pulumi.Output[str]
    """How each account's log groups are named: ``<prefix>/<accountId>/<resourceId>``."""

    def __init__(
        self,
        name: str,
        args: OrganizationFlowLogsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        settings = OrganizationSettings.from_args(args)
        super().__init__(COMPONENT_TYPE, name, None, opts)

        evaluation = aws.observabilityadmin.TelemetryEvaluationForOrganization(
            f"{name}-evaluation",
            all_regions=True,
            region=settings.region,
            opts=pulumi.ResourceOptions(parent=self),
        )
        rule = aws.observabilityadmin.TelemetryRuleForOrganization(
            f"{name}-rule",
            rule_name=settings.rule_name,
            rule=_rule(settings),
            region=settings.region,
            # The deployer policy (deploy/deployer-policy.json) manages only rules with this tag.
            tags={**settings.tags, KEY_TAG: COMPONENT_PACKAGE},
            # AWS refuses a rule until the organisation's telemetry evaluation has started.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[evaluation]),
        )

        self.rule_arn = rule.rule_arn
        self.destination_pattern = pulumi.Output.from_input(settings.destination_pattern)
        self.register_outputs(
            {"ruleArn": self.rule_arn, "destinationPattern": self.destination_pattern}
        )


def _rule(settings: OrganizationSettings) -> telemetry.TelemetryRuleForOrganizationRuleArgs:
    """Flow logs on every VPC of every account, in all regions, to one log group per VPC."""
    return telemetry.TelemetryRuleForOrganizationRuleArgs(
        resource_type="AWS::EC2::VPC",
        telemetry_type="Logs",
        telemetry_source_types=["VPC_FLOW_LOGS"],
        all_regions=True,
        destination_configuration=telemetry.TelemetryRuleForOrganizationRuleDestinationConfigurationArgs(
            destination_type="cloud-watch-logs",
            destination_pattern=settings.destination_pattern,
            retention_in_days=settings.retention_in_days,
            # No format at all means AWS's default format.
            vpc_flow_log_parameters=telemetry.TelemetryRuleForOrganizationRuleDestinationConfigurationVpcFlowLogParametersArgs(
                traffic_type=settings.traffic_type.value,
                max_aggregation_interval=settings.max_aggregation_interval,
                log_format=settings.rendered_log_format,
            ),
        ),
    )
