"""The stack's own Systems Manager Automation document that repairs one VPC, built as plain data.

AWS's ``AWSSupport-EnableVPCFlowLogs`` takes no aggregation interval and no tags, and AWS does
not publish what it runs, so neither its flow logs nor its permissions could match the stack's.
This document calls EC2 ``CreateFlowLogs`` itself, once per destination the stack delivers to
(CloudWatch Logs, S3, or both), with exactly what the stack's own flow logs are created with,
then waits until the VPC lists each of them as active: ``CreateFlowLogs`` reports a refused
resource (a VPC that already has such a flow log, ``FlowLogAlreadyExists``) in
``Unsuccessful`` and still succeeds, so without the wait a repair that created nothing would be
reported as done.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from components.storage.layout import api_destination_options, destination_options
from components.storage.settings import FileFormat

SCHEMA_VERSION = "0.3"
"""The schema version of Automation documents."""
VERIFY_TIMEOUT_SECONDS = 300
"""How long the repair waits for each new flow log to be listed as active (EC2 reads are
eventually consistent) before it reports failure."""
DESTINATION_TITLES = {"cloud-watch-logs": "CloudWatch", "s3": "S3"}
"""Each ``LogDestinationType``'s word in the names of its steps."""
VPC_ID_PATTERN = "^vpc-[0-9a-f]{8,17}$"

_MAX_DOCUMENT_NAME = 128
_NOT_DOCUMENT_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")

Content = dict[str, Any]


def document_name(name: str, stack: str) -> str:
    """The document's name: ``<component name>-<stack>``, unique per account and region as SSM
    requires, known in a preview, and readable in Config's console. Characters SSM refuses
    become ``-``; past SSM's 128 characters the name is shortened and a hash keeps it unique."""
    full = _NOT_DOCUMENT_CHARS.sub("-", f"{name}-{stack}")
    if len(full) <= _MAX_DOCUMENT_NAME:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:8]
    return f"{full[: _MAX_DOCUMENT_NAME - 9]}-{digest}"


def cloudwatch_destination(log_group_arn: str, delivery_role_arn: str) -> dict[str, Any]:
    """``CreateFlowLogs`` parameters that deliver to a log group through the delivery role."""
    return {
        "LogDestinationType": "cloud-watch-logs",
        "LogDestination": log_group_arn,
        "DeliverLogsPermissionArn": delivery_role_arn,
    }


def s3_destination(
    log_destination: str,
    file_format: FileFormat,
    hive_partitions: bool,
    per_hour_partition: bool,
) -> dict[str, Any]:
    """``CreateFlowLogs`` parameters that deliver to the bucket folder (``S3FlowLogs``'
    ``logDestination``: the bucket's ARN and the prefix), with the options the storage layout
    gives the stack's own S3 flow logs."""
    options = destination_options(file_format, hive_partitions, per_hour_partition)
    return {
        "LogDestinationType": "s3",
        "LogDestination": log_destination,
        "DestinationOptions": api_destination_options(options),
    }


def create_step(destination: Mapping[str, Any]) -> str:
    """The name of the step that creates the flow log to ``destination``."""
    return f"Create{DESTINATION_TITLES[destination['LogDestinationType']]}FlowLog"


def wait_step(destination: Mapping[str, Any]) -> str:
    """The name of the step that waits until the flow log to ``destination`` is active."""
    return f"WaitForThe{DESTINATION_TITLES[destination['LogDestinationType']]}FlowLog"


def repair_document(
    *,
    traffic_type: str,
    max_aggregation_interval: int,
    log_format: str | None,
    destinations: Sequence[Mapping[str, Any]],
    flow_log_name: str,
    tags: Mapping[str, str],
) -> Content:
    """The Automation document: create the stack's flow log to each of ``destinations`` on
    ``{{ VpcId }}``, then wait until that VPC lists each one, by destination type, traffic type
    and Name tag, as ``ACTIVE``.

    ``destinations`` are ``CreateFlowLogs`` parameters (``cloudwatch_destination``,
    ``s3_destination``), at most one of each type. ``log_format`` None means AWS's default
    format (no ``LogFormat``). Each flow log is tagged with ``tags`` and ``Name=flow_log_name``,
    as the stack's own flow logs are.
    """
    flow_log_tags = {**tags, "Name": flow_log_name}
    common: dict[str, Any] = {
        "Service": "ec2",
        "Api": "CreateFlowLogs",
        "ResourceType": "VPC",
        "ResourceIds": ["{{ VpcId }}"],
        "TrafficType": traffic_type,
        "MaxAggregationInterval": max_aggregation_interval,
        **({"LogFormat": log_format} if log_format is not None else {}),
    }
    tagging: dict[str, Any] = {
        "TagSpecifications": [
            {
                "ResourceType": "vpc-flow-log",
                "Tags": [{"Key": k, "Value": v} for k, v in flow_log_tags.items()],
            }
        ]
    }
    creates: list[dict[str, Any]] = [
        {
            "name": create_step(destination),
            "action": "aws:executeAwsApi",
            "onFailure": "Abort",
            "inputs": {**common, **destination, **tagging},
            "outputs": [{"Name": "FlowLogIds", "Selector": "$.FlowLogIds", "Type": "StringList"}],
        }
        for destination in destinations
    ]
    waits: list[dict[str, Any]] = [
        {
            "name": wait_step(destination),
            "action": "aws:waitForAwsResourceProperty",
            "timeoutSeconds": VERIFY_TIMEOUT_SECONDS,
            "onFailure": "Abort",
            "inputs": {
                "Service": "ec2",
                "Api": "DescribeFlowLogs",
                "Filter": [
                    {"Name": "resource-id", "Values": ["{{ VpcId }}"]},
                    {
                        "Name": "log-destination-type",
                        "Values": [destination["LogDestinationType"]],
                    },
                    {"Name": "traffic-type", "Values": [traffic_type]},
                    {"Name": "tag:Name", "Values": [flow_log_name]},
                ],
                "PropertySelector": "$.FlowLogs[0].FlowLogStatus",
                "DesiredValues": ["ACTIVE"],
            },
        }
        for destination in destinations
    ]
    waits[-1]["isEnd"] = True
    return {
        "schemaVersion": SCHEMA_VERSION,
        "description": (
            "Creates this stack's VPC flow logs, one per destination, on one VPC that AWS Config "
            "found without one, and waits until the VPC lists each as active."
        ),
        "assumeRole": "{{ AutomationAssumeRole }}",
        "parameters": {
            "VpcId": {
                "type": "String",
                "description": "The VPC to give a flow log (AWS Config's RESOURCE_ID).",
                "allowedPattern": VPC_ID_PATTERN,
            },
            "AutomationAssumeRole": {
                "type": "String",
                "description": "The ARN of the role the automation runs as.",
            },
        },
        "mainSteps": [*creates, *waits],
        "outputs": [f"{step['name']}.FlowLogIds" for step in creates],
    }
