"""Reading outputs: flow-log ids from every ``*FlowLogIds`` output, log groups from every
``*LogGroupName``, and exit-2 messages that name the source."""

from __future__ import annotations

import json

import pytest

from verify.outputs import FlowLogRef, OutputsError, parse_outputs


def test_flow_logs_come_from_every_flow_log_ids_output_list_or_map_at_any_level() -> None:
    outputs = parse_outputs(
        json.dumps(
            {
                "flowLogIds": ["fl-1"],
                "targetFlowLogIds": {"vpc-1": "fl-1", "subnet-1": "fl-2"},
                "s3FlowLogIds": ["fl-3"],
                "transitGatewayFlowLogIds": {"tgw-1": "fl-4"},
                "regions": {
                    "us-east-1": {"flowLogIds": ["fl-1"], "logGroupName": "/aws/vpc/flowlogs"},
                    "us-west-2": {"transitGatewayFlowLogIds": ["fl-5"]},
                },
            }
        ),
        "outputs.json",
        "us-east-1",
    )

    assert outputs.flow_logs == (
        FlowLogRef("fl-1", ("flowLogIds", "targetFlowLogIds", "regions.us-east-1.flowLogIds"),
                   "vpc-1", "us-east-1"),
        FlowLogRef("fl-2", ("targetFlowLogIds",), "subnet-1"),
        FlowLogRef("fl-3", ("s3FlowLogIds",), to_s3=True),
        FlowLogRef("fl-4", ("transitGatewayFlowLogIds",), "tgw-1"),
        FlowLogRef("fl-5", ("regions.us-west-2.transitGatewayFlowLogIds",), region="us-west-2"),
    )  # fmt: skip


def test_log_groups_come_from_every_log_group_name_output_the_top_level_ones_at_home() -> None:
    outputs = parse_outputs(
        json.dumps(
            {
                "flowLogIds": ["fl-1"],
                "logGroupName": "/aws/vpc/flowlogs",
                "transitGatewayLogGroupName": "/aws/vpc/tgw",
                "kmsKeyArn": None,
                "regions": {
                    "us-east-1": {"logGroupName": "/aws/vpc/flowlogs"},
                    "us-west-2": {"logGroupName": "/aws/vpc/flowlogs", "kmsKeyArn": "arn:k"},
                },
            }
        ),
        "outputs.json",
        "us-east-1",
    )

    assert outputs.regions["us-east-1"].log_groups == ("/aws/vpc/flowlogs", "/aws/vpc/tgw")
    assert outputs.regions["us-west-2"].log_groups == ("/aws/vpc/flowlogs",)
    assert outputs.regions["us-west-2"].kms_key_arn == "arn:k"
    assert outputs.regions["us-east-1"].kms_key_arn is None


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        ([], "out.json: is not a JSON object of outputs."),
        ({"flowLogIds": ["fl-1"], "regions": {"us-east-1": []}}, "out.json: regions.us-east-1 is "
         "not an object."),
        ({"flowLogIds": "fl-1", "regions": {"us-east-1": {}}}, "out.json: flowLogIds is neither a "
         "list of flow-log ids nor a map of them."),
        ({"flowLogIds": ["fl-1"], "regions": {"us-east-1": {"alarmNames": "a"}}}, "out.json: "
         "regions.us-east-1.alarmNames is not a list of strings."),
    ],
)  # fmt: skip
def test_malformed_outputs_are_refused_naming_the_source_and_key(
    outputs: object, message: str
) -> None:
    with pytest.raises(OutputsError) as error:
        parse_outputs(json.dumps(outputs), "out.json", "us-east-1")
    assert str(error.value) == message
