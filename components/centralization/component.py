"""The ``CentralFlowLogs`` component: the organisation's flow-log groups copied, by a CloudWatch
Logs centralization rule, into one log group of this account and region."""

# No ``from __future__ import annotations`` here: Pulumi's schema analyzer reads the real
# annotations of ``CentralFlowLogsArgs`` and of the component's outputs.

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TypedDict

import pulumi
import pulumi_aws as aws
from pulumi_aws import observabilityadmin as central

from components.aws_context import aws_context
from components.centralization.documents import central_key_policy
from components.centralization.settings import (
    DEFAULT_CENTRAL_LOG_GROUP_NAME,
    DEFAULT_RULE_NAME,
    CentralizationSettings,
    home_region_problems,
    source_scope,
)
from components.config import SettingsError, raise_if
from components.flow_logs.component import COMPONENT_PACKAGE, KEY_TAG
from components.flow_logs.settings import DEFAULT_LOG_GROUP_NAME, DEFAULT_RETENTION_DAYS
from components.regions import CoveredRegion

COMPONENT_TYPE = f"{COMPONENT_PACKAGE}:index:CentralFlowLogs"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
LOGS_MANAGED_TAG = {"LogsManaged": "true"}
"""Centralization encrypts only with a key that carries this tag."""
NOT_IN_ORGANIZATION = "AWSOrganizationsNotInUseException"
"""AWS Organizations' error code for an account that belongs to no organisation."""


class CentralFlowLogsArgs(TypedDict, total=False):
    """What the centralization rule copies, and the group it copies into. ``sourceScope`` and
    ``sourceRegions`` are required."""

    source_scope: str
    """Which accounts: ``OrganizationId = 'o-...'`` or ``AccountId IN ('111122223333', ...)``.
    Required."""
    source_regions: Sequence[str]
    """The regions copied from; at least one. Required."""
    source_log_group_prefix: str
    """Groups whose names start with this are copied, except transit-gateway groups
    (``.../transit-gateways``). Defaults to ``/aws/vpc/flowlogs``."""
    log_group_name: str
    """The central group, created here before the rule so that its retention and key are
    this component's. Must not start with ``sourceLogGroupPrefix``. Defaults to
    ``/security/vpc-flow-logs``."""
    retention_in_days: int
    """How long the central group keeps records, a CloudWatch Logs retention. Defaults to 365."""
    backup_region: str
    """Another region of this account that keeps a copy (charged), with a key of its own.
    Defaults to none."""
    rule_name: str
    """The rule's name, unique in the organisation. Defaults to ``vpc-flow-logs-central``."""
    protect_logs: bool
    """Protect the central group and its keys from ``pulumi destroy``. Defaults to false."""
    tags: Mapping[str, str]
    """Tags for every resource created. Defaults to none."""


def organization_id(opts: pulumi.InvokeOptions | None = None) -> str:
    """The organisation's id, as AWS Organizations reports it to this account; a refusal naming
    ``centralizeLogs`` when the account is in no organisation."""
    try:
        # Only DescribeOrganization: listing hundreds of accounts is not needed.
        found = aws.organizations.get_organization(return_organization_only=True, opts=opts)
    except Exception as error:
        if NOT_IN_ORGANIZATION not in str(error):
            raise
        raise SettingsError(
            "centralizeLogs: AWS Organizations answers that this account is in no organisation; "
            "a centralization rule copies an organisation's logs, so the stack must run in the "
            "organisation's management account or its CloudWatch delegated administrator."
        ) from None
    # arn:<partition>:organizations::<management account>:organization/o-...
    return found.arn.rsplit("/", 1)[-1]


def centralization_args(
    settings: CentralizationSettings,
    retention_in_days: int,
    regions: Sequence[CoveredRegion],
    *,
    protect_logs: bool = False,
    tags: Mapping[str, str] | None = None,
) -> CentralFlowLogsArgs:
    """The component's args for a stack's settings: source regions default to the stack's own.

    Asks AWS Organizations for the organisation, so call it before registering anything: a
    refusal then leaves nothing half-created."""
    home = next(region.name for region in regions if region.is_home)
    raise_if(home_region_problems(settings, home))
    args = CentralFlowLogsArgs(
        source_scope=source_scope(organization_id(), settings.accounts),
        source_regions=list(settings.regions or (region.name for region in regions)),
        source_log_group_prefix=settings.source_log_group_prefix,
        log_group_name=settings.log_group_name,
        retention_in_days=retention_in_days,
        protect_logs=protect_logs,
        tags=dict(tags or {}),
    )
    if settings.backup_region is not None:
        args["backup_region"] = settings.backup_region
    return args


class CentralFlowLogs(pulumi.ComponentResource):
    """One log group for the whole organisation's flow logs: a rotating customer-managed key
    tagged ``LogsManaged=true``, the group, and a centralization rule for the organisation that
    copies every account's and region's flow-log groups into it. Run it from the management
    account or the CloudWatch delegated administrator, with trusted access for
    ``observabilityadmin.amazonaws.com``. Children are named ``{name}-key``,
    ``{name}-log-group``, ``{name}-backup-key`` and ``{name}-rule``."""

    log_group_name: pulumi.Output[str]
    """The central group's name."""
    log_group_arn: pulumi.Output[str]
    """The central group's ARN, without ``:*``."""
    kms_key_arn: pulumi.Output[str]
    """The ARN of the key encrypting the central group."""
    rule_arn: pulumi.Output[str]
    """The centralization rule's ARN."""

    def __init__(
        self, name: str, args: CentralFlowLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Validate before registering anything: a bad argument leaves nothing half-created.
        settings = CentralizationSettings(
            source_log_group_prefix=args.get("source_log_group_prefix", DEFAULT_LOG_GROUP_NAME),
            log_group_name=args.get("log_group_name", DEFAULT_CENTRAL_LOG_GROUP_NAME),
            regions=tuple(args.get("source_regions") or ()),
            backup_region=args.get("backup_region"),
        )
        raise_if(
            ([] if settings.regions else ["sourceRegions: is empty; give at least one region."])
            + ([] if args.get("source_scope") else ["sourceScope: is required."])
        )
        tags = dict(args.get("tags") or {})
        super().__init__(COMPONENT_TYPE, name, None, opts)
        context = aws_context(pulumi.InvokeOptions(parent=self))
        # The organisation's records are evidence: when asked, a destroy must not delete them.
        kept = pulumi.ResourceOptions(parent=self, protect=bool(args.get("protect_logs")))
        # The deployer policy (deploy/deployer-policy.json) manages only keys with KEY_TAG.
        key_tags = {**tags, **LOGS_MANAGED_TAG, KEY_TAG: COMPONENT_PACKAGE}

        def key(resource_name: str, region: str | None) -> aws.kms.Key:
            where = replace(context, region=region) if region else context
            return aws.kms.Key(
                resource_name,
                description=f"Encrypts the central VPC flow-log group {settings.log_group_name}",
                region=region,
                enable_key_rotation=True,
                deletion_window_in_days=30,
                policy=json.dumps(central_key_policy(where, settings.log_group_name)),
                tags=key_tags,
                opts=kept,
            )

        central_key = key(f"{name}-key", None)
        group = aws.cloudwatch.LogGroup(
            f"{name}-log-group",
            name=settings.log_group_name,
            retention_in_days=args.get("retention_in_days", DEFAULT_RETENTION_DAYS),
            kms_key_id=central_key.arn,
            tags=tags,
            opts=kept,
        )
        destination_logs: central.CentralizationRuleForOrganizationRuleDestinationDestinationLogsConfigurationArgsDict = {  # noqa: E501
            # A static name merges every selected group into the central one.
            "log_group_name_configuration": {"log_group_name_pattern": settings.log_group_name},
            "logs_encryption_configuration": {
                "encryption_strategy": "CUSTOMER_MANAGED",
                "kms_key_arn": central_key.arn,
            },
        }
        if settings.backup_region is not None:
            backup_key = key(f"{name}-backup-key", settings.backup_region)
            destination_logs["backup_configuration"] = {
                "region": settings.backup_region,
                "kms_key_arn": backup_key.arn,
            }
        rule = central.CentralizationRuleForOrganization(
            f"{name}-rule",
            rule_name=args.get("rule_name", DEFAULT_RULE_NAME),
            rule={
                "source": {
                    "scope": args["source_scope"],
                    "regions": list(settings.regions),
                    "source_logs_configuration": {
                        "log_group_selection_criteria": settings.selection,
                        # Member groups encrypted with their own customer keys are copied too.
                        "encrypted_log_group_strategy": "ALLOW",
                    },
                },
                "destination": {
                    "account": context.account_id,
                    "region": context.region,
                    "destination_logs_configuration": destination_logs,
                },
            },
            # The deployer policy manages only rules with this tag.
            tags={**tags, KEY_TAG: COMPONENT_PACKAGE},
            # AWS reuses an existing destination group: created first, it keeps our retention
            # and key rather than getting AWS's defaults.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[group]),
        )

        self.log_group_name = group.name
        self.log_group_arn = group.arn
        self.kms_key_arn = central_key.arn
        self.rule_arn = rule.rule_arn
        self.register_outputs(
            {
                "logGroupName": self.log_group_name,
                "logGroupArn": self.log_group_arn,
                "kmsKeyArn": self.kms_key_arn,
                "ruleArn": self.rule_arn,
            }
        )
