"""The ``FirehoseDestinationRole`` component: the role in a stream's account through which other
accounts' flow logs deliver to its Firehose streams.

No ``from __future__ import annotations`` here: it would hide the args' real annotations from
Pulumi's schema analyzer.
"""

import json
from collections.abc import Mapping, Sequence
from typing import TypedDict

import pulumi
import pulumi_aws as aws

from components.aws_context import aws_context
from components.config import raise_if
from components.firehose.documents import destination_role_policy, destination_role_trust_policy
from components.firehose.settings import DESTINATION_ROLE_NAME, source_account_problems
from components.flow_logs.component import COMPONENT_PACKAGE

FIREHOSE_DESTINATION_ROLE_TYPE = f"{COMPONENT_PACKAGE}:index:FirehoseDestinationRole"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""


class FirehoseDestinationRoleArgs(TypedDict, total=False):
    """Which accounts' flow logs may deliver to this account's Firehose streams."""

    source_accounts: Sequence[str]
    """The accounts (12 digits) whose stacks deliver here with ``firehoseCrossAccountRoleArn``;
    only their source roles may assume the role. Required."""
    tags: Mapping[str, str]
    """Tags for the role. Defaults to none."""


class FirehoseDestinationRole(pulumi.ComponentResource):
    """``AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs``, as AWS's VPC guide describes the
    destination account's role: assumed only by the listed accounts' source roles (those under
    the path this project gives them), allowed to create the log-delivery service-linked role
    and to tag this account's delivery streams. Children: ``{name}-role``, ``{name}-policy``."""

    role_arn: pulumi.Output[str]
    """The role's ARN: the source stacks' ``firehoseCrossAccountRoleArn``."""

    def __init__(
        self,
        name: str,
        args: FirehoseDestinationRoleArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        accounts = list(args.get("source_accounts") or [])
        raise_if(
            source_account_problems(accounts)
            or (
                []
                if accounts
                else ["firehoseSourceAccounts: is empty; list the accounts that deliver here."]
            )
        )
        super().__init__(FIREHOSE_DESTINATION_ROLE_TYPE, name, None, opts)
        context = aws_context(pulumi.InvokeOptions(parent=self))
        role = aws.iam.Role(
            f"{name}-role",
            # AWS accepts a cross-account Firehose role only under a name with this prefix.
            name=DESTINATION_ROLE_NAME,
            description="Lets other accounts' VPC flow logs deliver to this account's streams",
            assume_role_policy=json.dumps(destination_role_trust_policy(context, accounts)),
            tags=dict(args.get("tags") or {}),
            opts=pulumi.ResourceOptions(parent=self),
        )
        aws.iam.RolePolicy(
            f"{name}-policy",
            role=role.name,
            policy=json.dumps(destination_role_policy(context)),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.role_arn = role.arn
        self.register_outputs({"roleArn": self.role_arn})
