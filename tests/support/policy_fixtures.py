"""One compliant stack, as the engine would send it to the policy pack, and ways to change it.

``compliant_stack()`` is a VPC plus what the VpcFlowLogs component makes for it (log group, KMS
key, IAM role and role policy, flow log) and what FlowLogMonitoring makes to watch it (a topic, a
metric filter and an alarm on its metric), with engine-style URNs, outputs, parents, dependencies
and property dependencies. With ``preview=True``, every value that comes from a resource not yet
created is the engine's unknown sentinel, exactly as ``pulumi preview`` sends it. Each test changes
one thing with :func:`changed`, :func:`without` or :func:`added`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from offline.analyzer import UNKNOWN, Resource, analyzer_resource, engine_urn

ACCOUNT = "123456789012"
REGION = "us-east-1"
COMPONENT = "vpc-flow-logs:index:VpcFlowLogs"

STACK_URN = engine_urn("pulumi:pulumi:Stack", "proj-dev")
PROVIDER_URN = engine_urn("pulumi:providers:aws", "default_7_0_0")
VPC_URN = engine_urn("aws:ec2/vpc:Vpc", "main")
COMPONENT_URN = engine_urn(COMPONENT, "flow-logs")
KEY_URN = engine_urn("aws:kms/key:Key", "flow-logs-key", parent_type=COMPONENT)
LOG_GROUP_URN = engine_urn(
    "aws:cloudwatch/logGroup:LogGroup", "flow-logs-log-group", parent_type=COMPONENT
)
ROLE_URN = engine_urn("aws:iam/role:Role", "flow-logs-role", parent_type=COMPONENT)
ROLE_POLICY_URN = engine_urn(
    "aws:iam/rolePolicy:RolePolicy", "flow-logs-role-policy", parent_type=COMPONENT
)
FLOW_LOG_URN = engine_urn("aws:ec2/flowLog:FlowLog", "flow-logs-main", parent_type=COMPONENT)

MONITORING = "vpc-flow-logs:index:FlowLogMonitoring"
MONITORING_URN = engine_urn(MONITORING, "watch")
TOPIC_URN = engine_urn("aws:sns/topic:Topic", "watch-alarms", parent_type=MONITORING)
METRIC_FILTER_URN = engine_urn(
    "aws:cloudwatch/logMetricFilter:LogMetricFilter", "watch-rejected", parent_type=MONITORING
)
ALARM_URN = engine_urn(
    "aws:cloudwatch/metricAlarm:MetricAlarm", "watch-rejected", parent_type=MONITORING
)
METRIC_NAMESPACE = "VPCFlowLogs/watch"

VPC_ID = "vpc-0a1b2c3d4e5f60718"
LOG_GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/vpc/flowlogs"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/flow-logs-role-1a2b3c4"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0d1c2b3a-4e5f-6789-abcd-ef0123456789"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:watch-alarms-1a2b3c4"


def trust_policy(**statement_changes: Any) -> str:
    """The component's trust policy, with top-level statement keys replaced (None removes)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
            "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc-flow-log/*"},
        },
    }
    return _document(statement, statement_changes)


def permissions_policy(*extra: Mapping[str, Any], **statement_changes: Any) -> str:
    """The component's least-privilege permissions, first statement changed, ``extra`` appended."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        "Resource": [LOG_GROUP_ARN, f"{LOG_GROUP_ARN}:*"],
    }
    describe = {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"}
    return _document(statement, statement_changes, describe, *extra)


def _document(
    statement: dict[str, Any], changes: Mapping[str, Any], *more: Mapping[str, Any]
) -> str:
    for key, value in changes.items():
        if value is None:
            statement.pop(key, None)
        else:
            statement[key] = value
    return json.dumps({"Version": "2012-10-17", "Statement": [statement, *more]})


def compliant_stack(*, preview: bool = False) -> dict[str, Resource]:
    """Return the compliant stack keyed by a short label (``vpc``, ``flow_log``, ...)."""

    def known(value: Any) -> Any:
        return UNKNOWN if preview else value

    return {
        "stack": Resource("pulumi:pulumi:Stack", "proj-dev", STACK_URN),
        "provider": Resource(
            "pulumi:providers:aws",
            "default_7_0_0",
            PROVIDER_URN,
            {"region": REGION, "version": "7.0.0"},
        ),
        "vpc": Resource(
            "aws:ec2/vpc:Vpc",
            "main",
            VPC_URN,
            {
                "id": known(VPC_ID),
                "arn": known(f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/{VPC_ID}"),
                "cidrBlock": "10.0.0.0/16",
                "tags": {"Name": "main"},
            },
            parent=STACK_URN,
        ),
        "component": Resource(COMPONENT, "flow-logs", COMPONENT_URN, parent=STACK_URN),
        "key": Resource(
            "aws:kms/key:Key",
            "flow-logs-key",
            KEY_URN,
            {"arn": known(KEY_ARN), "enableKeyRotation": True},
            parent=COMPONENT_URN,
        ),
        "log_group": Resource(
            "aws:cloudwatch/logGroup:LogGroup",
            "flow-logs-log-group",
            LOG_GROUP_URN,
            {
                "id": "/aws/vpc/flowlogs",
                "name": "/aws/vpc/flowlogs",
                "arn": known(LOG_GROUP_ARN),
                "retentionInDays": 365,
                "kmsKeyId": known(KEY_ARN),
            },
            parent=COMPONENT_URN,
            dependencies=[KEY_URN],
            property_dependencies={"kmsKeyId": [KEY_URN]},
        ),
        "role": Resource(
            "aws:iam/role:Role",
            "flow-logs-role",
            ROLE_URN,
            {
                "id": "flow-logs-role-1a2b3c4",
                "name": "flow-logs-role-1a2b3c4",
                "arn": known(ROLE_ARN),
                "assumeRolePolicy": trust_policy(),
                # How the provider reports a role without inline policies.
                "inlinePolicies": [{"name": "", "policy": ""}],
            },
            parent=COMPONENT_URN,
        ),
        "role_policy": Resource(
            "aws:iam/rolePolicy:RolePolicy",
            "flow-logs-role-policy",
            ROLE_POLICY_URN,
            {"role": "flow-logs-role-1a2b3c4", "policy": known(permissions_policy())},
            parent=COMPONENT_URN,
            dependencies=[ROLE_URN, LOG_GROUP_URN],
            property_dependencies={"role": [ROLE_URN], "policy": [LOG_GROUP_URN]},
        ),
        "flow_log": Resource(
            "aws:ec2/flowLog:FlowLog",
            "flow-logs-main",
            FLOW_LOG_URN,
            {
                "id": known("fl-0123456789abcdef0"),
                "vpcId": known(VPC_ID),
                "trafficType": "ALL",
                "maxAggregationInterval": 60,
                "logDestination": known(LOG_GROUP_ARN),
                "logDestinationType": "cloud-watch-logs",
                "iamRoleArn": known(ROLE_ARN),
                "tags": {"Name": "main-flow-logs"},
            },
            parent=COMPONENT_URN,
            dependencies=[VPC_URN, LOG_GROUP_URN, ROLE_URN, ROLE_POLICY_URN],
            property_dependencies={
                "vpcId": [VPC_URN],
                "logDestination": [LOG_GROUP_URN],
                "iamRoleArn": [ROLE_URN],
            },
        ),
        "monitoring": Resource(MONITORING, "watch", MONITORING_URN, parent=STACK_URN),
        "topic": Resource(
            "aws:sns/topic:Topic",
            "watch-alarms",
            TOPIC_URN,
            {"arn": known(TOPIC_ARN)},
            parent=MONITORING_URN,
        ),
        "metric_filter": Resource(
            "aws:cloudwatch/logMetricFilter:LogMetricFilter",
            "watch-rejected",
            METRIC_FILTER_URN,
            {
                "name": "watch-rejected",
                "logGroupName": "/aws/vpc/flowlogs",
                "pattern": "[version,account_id,interface_id,srcaddr,dstaddr,srcport,dstport,"
                'protocol,packets,bytes,start,end,action="REJECT",log_status]',
                "metricTransformation": {
                    "name": "RejectedRecords",
                    "namespace": METRIC_NAMESPACE,
                    "value": "1",
                },
            },
            parent=MONITORING_URN,
            dependencies=[LOG_GROUP_URN],
            property_dependencies={"logGroupName": [LOG_GROUP_URN]},
        ),
        "alarm": Resource(
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "watch-rejected",
            ALARM_URN,
            {
                "namespace": METRIC_NAMESPACE,
                "metricName": "RejectedRecords",
                "statistic": "Sum",
                "period": 300,
                "threshold": 1000,
                "comparisonOperator": "GreaterThanOrEqualToThreshold",
                "alarmActions": [known(TOPIC_ARN)],
                "okActions": [known(TOPIC_ARN)],
            },
            parent=MONITORING_URN,
            dependencies=[TOPIC_URN],
            property_dependencies={"alarmActions": [TOPIC_URN], "okActions": [TOPIC_URN]},
        ),
    }


def changed(stack: Mapping[str, Resource], label: str, **properties: Any) -> dict[str, Resource]:
    """Return ``stack`` with some of one resource's properties replaced (None removes one)."""
    props = dict(stack[label].properties)
    for key, value in properties.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    return {**stack, label: replace(stack[label], properties=props)}


def rewired(stack: Mapping[str, Resource], label: str, **changes: Any) -> dict[str, Resource]:
    """Return ``stack`` with one resource's non-property fields replaced (dependencies, ...)."""
    return {**stack, label: replace(stack[label], **changes)}


def without(stack: Mapping[str, Resource], *labels: str) -> dict[str, Resource]:
    """Return ``stack`` without some resources."""
    return {k: v for k, v in stack.items() if k not in labels}


def added(stack: Mapping[str, Resource], **resources: Resource) -> dict[str, Resource]:
    """Return ``stack`` with more resources."""
    return {**stack, **resources}


def resources(stack: Mapping[str, Resource]) -> Sequence[Resource]:
    """The resources in registration order, as AnalyzeStack sends them."""
    return list(stack.values())


def policy_resources(stack: Sequence[Resource]) -> list[Any]:
    """Build the SDK's ``PolicyResource`` graph for ``stack`` without a server.

    It goes through the same protobuf and proxy code as the pack's servicer, so unknown values
    raise ``UnknownValueError`` exactly as they do in the real pack.
    """
    from google.protobuf import json_format
    from pulumi_policy import PolicyCustomTimeouts, PolicyResource, PolicyResourceOptions
    from pulumi_policy.deserialize import deserialize_properties
    from pulumi_policy.proxy import unknown_checking_proxy

    by_urn: dict[str, Any] = {}
    messages = [analyzer_resource(r) for r in stack]
    for message in messages:
        props = unknown_checking_proxy(
            deserialize_properties(json_format.MessageToDict(message.properties))
        )
        options = PolicyResourceOptions(
            False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], message.parent or None
        )
        by_urn[message.urn] = PolicyResource(
            message.type, props, message.urn, message.name, options, None, None, [], {}
        )
    for message in messages:
        resource = by_urn[message.urn]
        resource.parent = by_urn.get(message.parent)
        resource.dependencies = [by_urn[u] for u in message.dependencies if u in by_urn]
        resource.property_dependencies = {
            key: [by_urn[u] for u in deps.urns if u in by_urn]
            for key, deps in message.propertyDependencies.items()
        }
    return list(by_urn.values())


S3_COMPONENT = "vpc-flow-logs:index:S3FlowLogs"
S3_COMPONENT_URN = engine_urn(S3_COMPONENT, "s3", parent_type="")
BUCKET_URN = engine_urn("aws:s3/bucket:Bucket", "s3-bucket", parent_type=S3_COMPONENT)
LIFECYCLE_URN = engine_urn(
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "s3-lifecycle",
    parent_type=S3_COMPONENT,
)
S3_FLOW_LOG_URN = engine_urn("aws:ec2/flowLog:FlowLog", "s3-main", parent_type=S3_COMPONENT)
BUCKET = "flow-logs-dev-123456789012-us-east-1"


def log_rule(**changes: Any) -> dict[str, Any]:
    """The S3FlowLogs lifecycle rule for the log objects, keys changed (None removes)."""
    rule: dict[str, Any] = {
        "id": "flow-logs",
        "status": "Enabled",
        "filter": {"prefix": "fl/AWSLogs/"},
        "transitions": [{"days": 30, "storageClass": "STANDARD_IA"}],
        "expiration": {"days": 365},
    }
    for key, value in changes.items():
        if value is None:
            rule.pop(key, None)
        else:
            rule[key] = value
    return rule


def with_s3(stack: Mapping[str, Resource], *, preview: bool = False) -> dict[str, Resource]:
    """``stack`` plus what the S3FlowLogs component makes for its VPC: a bucket under prefix
    ``fl``, its lifecycle configuration and a second flow log delivering to it.

    The bucket's name is chosen by the component, so it is known even in a preview; its ARN is
    not.
    """

    def known(value: Any) -> Any:
        return UNKNOWN if preview else value

    return {
        **stack,
        "s3_component": Resource(S3_COMPONENT, "s3", S3_COMPONENT_URN, parent=STACK_URN),
        "bucket": Resource(
            "aws:s3/bucket:Bucket",
            "s3-bucket",
            BUCKET_URN,
            {"bucket": BUCKET, "arn": known(f"arn:aws:s3:::{BUCKET}"), "forceDestroy": False},
            parent=S3_COMPONENT_URN,
        ),
        "lifecycle": Resource(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "s3-lifecycle",
            LIFECYCLE_URN,
            {"bucket": BUCKET, "rules": [log_rule()]},
            parent=S3_COMPONENT_URN,
            dependencies=[BUCKET_URN],
            property_dependencies={"bucket": [BUCKET_URN]},
        ),
        "s3_flow_log": Resource(
            "aws:ec2/flowLog:FlowLog",
            "s3-main",
            S3_FLOW_LOG_URN,
            {
                "id": known("fl-0fedcba9876543210"),
                "vpcId": known(VPC_ID),
                "trafficType": "ALL",
                "maxAggregationInterval": 60,
                "logDestination": f"arn:aws:s3:::{BUCKET}/fl",
                "logDestinationType": "s3",
                "destinationOptions": {
                    "fileFormat": "parquet",
                    "hiveCompatiblePartitions": True,
                    "perHourPartition": False,
                },
                "tags": {"Name": "main-flow-logs"},
            },
            parent=S3_COMPONENT_URN,
            dependencies=[VPC_URN, BUCKET_URN],
            property_dependencies={"vpcId": [VPC_URN], "logDestination": [BUCKET_URN]},
        ),
    }
