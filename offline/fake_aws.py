"""A fake AWS account, and the Pulumi mocks that answer the AWS provider from it.

``FakeAws`` is an account with VPCs; ``AwsMocks`` answers the provider's invokes and resource
registrations from it, and raises on anything it was not written for, so a new lookup or a new
resource type cannot slip through untested.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
import pulumi

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's sentinel for a value not known until the update runs."""


STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"


class UnexpectedCall(AssertionError):
    """The program asked the mocks for something they were not written to answer."""


class ProviderError(grpc.RpcError):
    """A provider's failed invoke, as the engine reports it to the program: a gRPC error whose
    details are the provider's message. The SDK raises it from the lookup as
    ``Exception("invoke of <token> failed: <message>")``, which the program may catch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNKNOWN

    def details(self) -> str:
        return self.message


@dataclass(frozen=True)
class FakeVpc:
    """A VPC that exists in the fake account before the program runs."""

    id: str
    name: str | None = None
    is_default: bool = False
    region: str | None = None
    """The VPC's region; None means the provider's own (``FakeAws.region``)."""


@dataclass
class FakeAws:
    """The account, region and partition the provider reports, and the VPCs that exist."""

    account_id: str = "123456789012"
    region: str = "us-east-1"
    partition: str = "aws"
    dns_suffix: str = "amazonaws.com"
    vpcs: list[FakeVpc] = field(default_factory=list)
    organization_id: str | None = "o-a1b2c3d4e5"
    """The organisation the account belongs to; None for an account in no organisation, which
    AWS Organizations answers with ``AWSOrganizationsNotInUseException``."""
    organization_accounts: dict[str, str] = field(default_factory=dict)
    """The organisation's accounts, id to state (``ACTIVE``, ``SUSPENDED``, ...), as its
    management account or delegated administrator sees them."""
    stacks: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Other stacks' outputs by stack name (``org/project/stack``), served to a
    ``pulumi.StackReference``; a reference to any other stack is refused."""


@dataclass
class RecordedInvoke:
    """One provider function call: its token and arguments."""

    token: str
    args: dict[str, Any]


class AwsMocks(pulumi.runtime.Mocks):
    """Answers the AWS provider from a ``FakeAws``, as ``pulumi up`` or ``pulumi preview`` would.

    In a preview, a resource's id and every output it does not take as an input stay unknown,
    as the engine reports them for resources yet to be created.
    """

    def __init__(self, aws: FakeAws, preview: bool = False) -> None:
        self.aws = aws
        self.preview = preview
        self.invokes: list[RecordedInvoke] = []
        self._invoke_handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "aws:index/getCallerIdentity:getCallerIdentity": self._caller_identity,
            "aws:index/getRegion:getRegion": self._region,
            "aws:index/getPartition:getPartition": self._partition,
            "aws:ec2/getVpcs:getVpcs": self._vpcs,
            "aws:organizations/getOrganization:getOrganization": self._organization,
        }
        self._outputs: dict[str, Callable[[str, str, dict[str, Any]], dict[str, Any]]] = {
            "aws:cloudwatch/logGroup:LogGroup": self._log_group,
            "aws:iam/role:Role": self._role,
            "aws:iam/rolePolicy:RolePolicy": lambda _id, _name, inputs: {},
            "aws:kms/key:Key": self._key,
            "aws:ec2/flowLog:FlowLog": self._flow_log,
            "aws:ec2/vpc:Vpc": self._vpc,
            "aws:cloudwatch/logMetricFilter:LogMetricFilter": lambda _id, _name, inputs: {},
            "aws:cloudwatch/metricAlarm:MetricAlarm": self._alarm,
            "aws:cloudwatch/queryDefinition:QueryDefinition": self._query_definition,
            "aws:cloudwatch/dashboard:Dashboard": self._dashboard,
            "aws:sns/topic:Topic": self._topic,
            "aws:sns/topicPolicy:TopicPolicy": lambda _id, _name, inputs: {
                "owner": self.aws.account_id
            },
            "aws:sns/topicSubscription:TopicSubscription": self._subscription,
            "aws:cfg/rule:Rule": self._config_rule,
            "aws:cfg/remediationConfiguration:RemediationConfiguration": self._remediation,
            "aws:ssm/document:Document": self._ssm_document,
            "aws:observabilityadmin/telemetryEvaluationForOrganization:"
            "TelemetryEvaluationForOrganization": self._telemetry_evaluation,
            "aws:observabilityadmin/telemetryRuleForOrganization:"
            "TelemetryRuleForOrganization": self._telemetry_rule,
            "aws:observabilityadmin/centralizationRuleForOrganization:"
            "CentralizationRuleForOrganization": self._centralization_rule,
            "aws:s3/bucket:Bucket": self._bucket,
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _no_outputs,
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls": _no_outputs,
            "aws:s3/bucketVersioning:BucketVersioning": _no_outputs,
            "aws:s3/bucketServerSideEncryptionConfiguration:"
            "BucketServerSideEncryptionConfiguration": _no_outputs,
            "aws:s3/bucketPolicy:BucketPolicy": _no_outputs,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _no_outputs,
            "aws:s3/bucketLogging:BucketLogging": _no_outputs,
            "aws:s3/bucketMetric:BucketMetric": _no_outputs,
            "aws:glue/catalogDatabase:CatalogDatabase": self._glue_database,
            "aws:glue/catalogTable:CatalogTable": self._glue_table,
            "aws:athena/workgroup:Workgroup": self._workgroup,
            "aws:athena/namedQuery:NamedQuery": _no_outputs,
        }

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        handler = self._invoke_handlers.get(args.token)
        if handler is None:
            raise UnexpectedCall(f"no mock for invoke {args.token} ({args.args!r})")
        self.invokes.append(RecordedInvoke(args.token, dict(args.args)))
        return handler(args.args), []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if args.typ == STACK_REFERENCE_TYPE:
            # Read, not created (the SDK's mock read passes no ``custom``): the other stack's
            # outputs are known in a preview too.
            return self._stack_reference(args.inputs)
        if not args.custom:
            return "", {}
        make_outputs = self._outputs.get(args.typ)
        if make_outputs is None:
            raise UnexpectedCall(f"no mock for resource type {args.typ} ({args.name})")
        if self.preview:
            return "", dict(args.inputs)
        resource_id = _fake_id(args.typ, args.name)
        return resource_id, {**args.inputs, **make_outputs(resource_id, args.name, args.inputs)}

    def _stack_reference(self, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        name = inputs["name"]
        if name not in self.aws.stacks:
            raise UnexpectedCall(f"no mock for stack reference {name!r}")
        return name, {"name": name, "outputs": self.aws.stacks[name], "secretOutputNames": []}

    # Invokes. Their results use the provider's camelCase keys.

    def _caller_identity(self, _args: dict[str, Any]) -> dict[str, Any]:
        account = self.aws.account_id
        return {
            "accountId": account,
            "arn": f"arn:{self.aws.partition}:iam::{account}:user/deployer",
            "userId": "AIDAEXAMPLEDEPLOYER",
            "id": account,
        }

    def _region(self, args: dict[str, Any]) -> dict[str, Any]:
        region = args.get("region") or self.aws.region
        return {
            "region": region,
            "name": region,
            "id": region,
            "endpoint": f"ec2.{region}.{self.aws.dns_suffix}",
            "description": region,
        }

    def _partition(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "partition": self.aws.partition,
            "dnsSuffix": self.aws.dns_suffix,
            "reverseDnsPrefix": ".".join(reversed(self.aws.dns_suffix.split("."))),
            "id": self.aws.partition,
        }

    def _vpcs(self, args: dict[str, Any]) -> dict[str, Any]:
        matches: dict[str, Callable[[FakeVpc, list[str]], bool]] = {
            "tag:Name": lambda vpc, values: vpc.name in values,
            "is-default": lambda vpc, values: str(vpc.is_default).lower() in values,
        }
        region = args.get("region") or self.aws.region
        vpcs = [vpc for vpc in self.aws.vpcs if (vpc.region or self.aws.region) == region]
        for flt in args.get("filters") or []:
            if flt["name"] not in matches:
                raise UnexpectedCall(f"no mock for getVpcs filter {flt['name']!r}")
            vpcs = [vpc for vpc in vpcs if matches[flt["name"]](vpc, list(flt["values"]))]
        if args.get("tags"):
            raise UnexpectedCall("no mock for getVpcs tags")
        return {
            "ids": [vpc.id for vpc in vpcs],
            "id": region,
            "region": region,
            "filters": args.get("filters"),
        }

    def _organization(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.aws.organization_id is None:
            # What the provider reports for DescribeOrganization from an account in no
            # organisation.
            raise ProviderError(
                "reading Organizations Organization: operation error Organizations: "
                "DescribeOrganization, https response error StatusCode: 400, "
                "AWSOrganizationsNotInUseException: Your account is not a member of an "
                "organization."
            )
        organization, management = self.aws.organization_id, self.aws.account_id
        partition = self.aws.partition
        found: dict[str, Any] = {
            "id": organization,
            "arn": f"arn:{partition}:organizations::{management}:organization/{organization}",
            "featureSet": "ALL",
            "masterAccountId": management,
            "masterAccountArn": f"arn:{partition}:organizations::{management}:"
            f"account/{organization}/{management}",
            "masterAccountEmail": "management@example.com",
            "masterAccountName": "management",
            "returnOrganizationOnly": bool(args.get("returnOrganizationOnly")),
        }
        if not args.get("returnOrganizationOnly"):
            found["accounts"] = [
                {
                    "id": account,
                    "state": state,
                    "status": state,
                    "arn": f"arn:{partition}:organizations::{management}:account/"
                    f"{organization}/{account}",
                    "email": f"{account}@example.com",
                    "name": account,
                    "joinedMethod": "CREATED",
                    "joinedTimestamp": "2026-01-01T00:00:00Z",
                }
                for account, state in self.aws.organization_accounts.items()
            ]
        return found

    # Outputs the provider computes on create.

    def _arn(
        self,
        service: str,
        resource: str,
        inputs: dict[str, Any] | None = None,
        region: bool = True,
    ) -> str:
        """An ARN in the resource's region: its ``region`` input, else the provider's. A global
        service's ARN (``region=False``) has none."""
        where = ((inputs or {}).get("region") or self.aws.region) if region else ""
        return f"arn:{self.aws.partition}:{service}:{where}:{self.aws.account_id}:{resource}"

    def _log_group(self, _id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        group = inputs.get("name") or name
        return {"name": group, "arn": self._arn("logs", f"log-group:{group}", inputs)}

    def _role(self, _id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        role = inputs.get("name") or f"{name}-{_id[-7:]}"
        return {"name": role, "arn": self._arn("iam", f"role/{role}", region=False)}

    def _key(self, key_id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"keyId": key_id, "arn": self._arn("kms", f"key/{key_id}", inputs)}

    def _flow_log(self, flow_log_id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("ec2", f"vpc-flow-log/{flow_log_id}", inputs)}

    def _alarm(self, alarm_id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        alarm = inputs.get("name") or f"{name}-{alarm_id[-7:]}"
        return {"name": alarm, "arn": self._arn("cloudwatch", f"alarm:{alarm}", inputs)}

    def _query_definition(self, _id: str, _name: str, _inputs: dict[str, Any]) -> dict[str, Any]:
        return {"queryDefinitionId": hashlib.sha256(_id.encode()).hexdigest()[:36]}

    def _dashboard(self, _id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        dashboard = inputs["dashboardName"]
        return {"dashboardArn": self._arn("cloudwatch", f"dashboard/{dashboard}", region=False)}

    def _topic(self, topic_id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        topic = inputs.get("name") or f"{name}-{topic_id[-7:]}"
        return {"name": topic, "arn": self._arn("sns", topic, inputs), "owner": self.aws.account_id}

    def _subscription(self, sub_id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": f"{inputs['topic']}:{sub_id[-7:]}", "pendingConfirmation": True}

    def _vpc(self, vpc_id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("ec2", f"vpc/{vpc_id}", inputs), "ownerId": self.aws.account_id}

    # Resources that take pulumi-aws 7's per-resource ``region`` live where it says.

    def _config_rule(self, _id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        rule = inputs.get("name") or f"{name}-{_id[-7:]}"
        rule_id = "config-rule-" + hashlib.sha256(rule.encode()).hexdigest()[:6]
        return {
            "name": rule,
            "ruleId": rule_id,
            "arn": self._arn("config", f"config-rule/{rule_id}", inputs),
        }

    def _remediation(self, _id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        rule = inputs["configRuleName"]
        return {"arn": self._arn("config", f"remediation-configuration/{rule}/{_id}", inputs)}

    def _ssm_document(self, _id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        document = inputs.get("name") or f"{name}-{_id[-7:]}"
        return {"name": document, "arn": self._arn("ssm", f"document/{document}", inputs)}

    def _telemetry_evaluation(self, _id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"status": "RUNNING"}

    def _telemetry_rule(self, _id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        rule = inputs["ruleName"]
        return {
            "ruleArn": self._arn(
                "observabilityadmin", f"organization-telemetry-rule/{rule}", inputs
            )
        }

    def _centralization_rule(self, _id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        rule = inputs["ruleName"]
        return {
            "ruleArn": self._arn(
                "observabilityadmin", f"organization-centralization-rule/{rule}", inputs
            )
        }

    def _bucket(self, bucket_id: str, _name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        # S3 bucket ARNs carry neither region nor account.
        bucket = inputs.get("bucket") or bucket_id
        return {"bucket": bucket, "arn": f"arn:{self.aws.partition}:s3:::{bucket}"}

    def _glue_database(self, _id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        database = inputs.get("name") or name
        return {"name": database, "arn": self._arn("glue", f"database/{database}")}

    def _glue_table(self, _id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        table = inputs.get("name") or name
        return {"arn": self._arn("glue", f"table/{inputs.get('databaseName')}/{table}")}

    def _workgroup(self, _id: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        workgroup = inputs.get("name") or name
        return {"name": workgroup, "arn": self._arn("athena", f"workgroup/{workgroup}")}


def _no_outputs(_id: str, _name: str, _inputs: dict[str, Any]) -> dict[str, Any]:
    """For resources whose outputs are only their inputs."""
    return {}


_ID_PREFIXES = {
    "aws:ec2/flowLog:FlowLog": "fl-",
    "aws:ec2/vpc:Vpc": "vpc-",
}


def _fake_id(type_: str, name: str) -> str:
    """A stable, realistic id: the same resource gets the same id in every run."""
    digest = hashlib.sha256(f"{type_}::{name}".encode()).hexdigest()
    prefix = _ID_PREFIXES.get(type_)
    if prefix:
        return prefix + digest[:17]
    if type_ == "aws:kms/key:Key":
        return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return f"{name}-{digest[:7]}"
