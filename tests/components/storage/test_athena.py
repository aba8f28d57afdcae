"""The FlowLogAthena component: database, projected table, workgroup, saved queries, results."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from components import ATHENA_TYPE, FlowLogAthena, FlowLogAthenaArgs, SettingsError
from offline.mocks import ProgramRun, run_pulumi
from tests.support.program import document, fake_account
from tests.support.projection import resolve_projection

DATABASE = "aws:glue/catalogDatabase:CatalogDatabase"
TABLE = "aws:glue/catalogTable:CatalogTable"
WORKGROUP = "aws:athena/workgroup:Workgroup"
NAMED_QUERY = "aws:athena/namedQuery:NamedQuery"
BUCKET = "aws:s3/bucket:Bucket"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0d1c2b3a-4e5f-6789-abcd-ef0123456789"
WHEN = datetime(2026, 3, 9, 7, 41, tzinfo=UTC)


def build(*, preview: bool = False, **args: Any) -> ProgramRun:
    """Declare one FlowLogAthena named "q" over bucket "logs" (stack "test") under the mocks."""

    def program() -> None:
        FlowLogAthena("q", FlowLogAthenaArgs(**{"bucket_name": "logs", **args}))  # type: ignore[typeddict-item]

    return run_pulumi(program, {}, fake_account(), project="p", stack="test", preview=preview)


def test_creates_database_table_workgroup_and_queries_with_results_in_the_given_bucket() -> None:
    run = build(results_bucket_name="logs")

    assert sorted((r.type, r.name) for r in run.resources) == sorted(
        [
            (ATHENA_TYPE, "q"),
            (DATABASE, "q-database"),
            (TABLE, "q-table"),
            (WORKGROUP, "q-workgroup"),
            (NAMED_QUERY, "q-top-talkers"),
            (NAMED_QUERY, "q-rejections-by-port"),
            # The default format tells egress by a private source address.
            (NAMED_QUERY, "q-egress-by-destination"),
            (NAMED_QUERY, "q-traffic-of-address"),
        ]
    )
    parent = run.one(ATHENA_TYPE).urn
    assert all(r.parent == parent for r in run.resources if r.type != ATHENA_TYPE)


def test_database_and_workgroup_are_named_after_the_stack() -> None:
    run = build(results_bucket_name="logs")

    assert run.one(DATABASE).inputs["name"] == "vpc_flow_logs_test"
    assert run.one(WORKGROUP).inputs["name"] == "vpc-flow-logs-test"
    assert run.one(TABLE).inputs["databaseName"] == "vpc_flow_logs_test"


def test_workgroup_enforces_its_configuration_a_scan_limit_and_encrypted_results() -> None:
    run = build(results_bucket_name="logs", athena_scan_limit_gb=25)

    configuration = run.one(WORKGROUP).inputs["configuration"]
    assert configuration == {
        "enforceWorkgroupConfiguration": True,
        "publishCloudwatchMetricsEnabled": True,
        "bytesScannedCutoffPerQuery": 25 * 1024**3,
        "resultConfiguration": {
            "outputLocation": "s3://logs/athena-results/",
            "encryptionConfiguration": {"encryptionOption": "SSE_S3"},
        },
    }


def test_results_are_encrypted_with_the_key_when_one_is_given() -> None:
    run = build(results_bucket_name="logs", kms_key_arn=KEY_ARN)

    assert run.one(WORKGROUP).inputs["configuration"]["resultConfiguration"][
        "encryptionConfiguration"
    ] == {"encryptionOption": "SSE_KMS", "kmsKeyArn": KEY_ARN}


def test_without_a_results_bucket_it_creates_a_hardened_one_whose_objects_expire() -> None:
    run = build()

    bucket = run.one(BUCKET)
    assert bucket.name == "q-results-bucket"
    assert bucket.inputs["bucket"] == "q-results-test-123456789012-us-east-1"
    assert bucket.inputs["forceDestroy"] is False
    rule, abort = run.one(LIFECYCLE).inputs["rules"]
    assert (rule["filter"], rule["expiration"]) == ({"prefix": "athena-results/"}, {"days": 7})
    assert (abort["filter"], abort["abortIncompleteMultipartUpload"]) == (
        {},
        {"daysAfterInitiation": 7},
    )
    (statement,) = document(run.one(POLICY).inputs["policy"])["Statement"]
    assert statement["Sid"] == "DenyInsecureTransport"
    assert run.one(ENCRYPTION).inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "AES256"
    }
    assert run.one(WORKGROUP).inputs["configuration"]["resultConfiguration"]["outputLocation"] == (
        f"s3://{bucket.inputs['bucket']}/athena-results/"
    )


@pytest.mark.parametrize("hive", [False, True])
@pytest.mark.parametrize("per_hour", [False, True])
def test_table_projection_resolves_to_the_keys_aws_writes(hive: bool, per_hour: bool) -> None:
    run = build(
        results_bucket_name="logs", prefix="fl", hive_partitions=hive, per_hour_partition=per_hour
    )
    hour = ("hour=07/" if hive else "07/") if per_hour else ""
    if hive:
        expected = (
            "s3://logs/fl/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
            f"aws-region=us-east-1/year=2026/month=03/day=09/{hour}"
        )
    else:
        expected = f"s3://logs/fl/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/09/{hour}"

    table = run.one(TABLE).inputs
    assert resolve_projection(table, WHEN) == expected
    assert expected.startswith(table["storageDescriptor"]["location"])


def test_table_is_external_parquet_by_default_with_the_format_columns() -> None:
    table = build(results_bucket_name="logs", log_format=["srcaddr", "tcp-flags"]).one(TABLE)

    assert table.inputs["tableType"] == "EXTERNAL_TABLE"
    assert table.inputs["name"] == "flow_logs"
    descriptor = table.inputs["storageDescriptor"]
    assert descriptor["columns"] == [
        {"name": "srcaddr", "type": "string"},
        {"name": "tcp_flags", "type": "int"},
    ]
    assert descriptor["serDeInfo"]["serializationLibrary"] == (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    )


def test_plain_text_table_skips_the_header_line() -> None:
    table = build(results_bucket_name="logs", file_format="plain-text").one(TABLE)

    assert table.inputs["parameters"]["skip.header.line.count"] == "1"
    assert table.inputs["storageDescriptor"]["serDeInfo"]["parameters"]["field.delim"] == " "


def test_named_queries_run_in_the_workgroup_against_the_database() -> None:
    run = build(
        results_bucket_name="logs",
        log_format=["srcaddr", "dstaddr", "bytes", "packets", "flow-direction", "action"],
    )

    queries = {q.name: q.inputs for q in run.of_type(NAMED_QUERY)}
    assert set(queries) == {"q-top-talkers", "q-egress-by-destination"}
    for query in queries.values():
        assert query["workgroup"] == "vpc-flow-logs-test"
        assert query["database"] == "vpc_flow_logs_test"
        assert "FROM flow_logs" in query["query"]


def test_table_is_known_in_a_preview() -> None:
    run = build(results_bucket_name="logs", preview=True)

    assert resolve_projection(run.one(TABLE).inputs, WHEN).startswith("s3://logs/AWSLogs/")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"hive_partitions": True, "file_format": "orc"},
            "s3FileFormat: 'orc' is not a flow-log file format; use one of parquet, plain-text.",
        ),
        (
            {"athena_scan_limit_gb": 0},
            "athenaScanLimitGb: 0 is below 1; give the most GB one Athena query may scan, 1 or "
            "more.",
        ),
        (
            {"log_format": ["srcadr"]},
            "logFormat: 'srcadr' is not a VPC flow-log field; did you mean 'srcaddr'?",
        ),
        (
            {"database_name": "Flow-Logs"},
            "databaseName: 'Flow-Logs' is not a name Athena can query; use 1 to 255 characters "
            "from a-z 0-9 _ (lower case).",
        ),
        (
            {"workgroup_name": "flow logs"},
            "workgroupName: 'flow logs' is not an Athena workgroup name; use 1 to 128 "
            "characters from A-Z a-z 0-9 . _ -.",
        ),
    ],
)
def test_bad_arguments_register_nothing(args: dict[str, Any], message: str) -> None:
    def program() -> None:
        FlowLogAthena("q", FlowLogAthenaArgs(**{"bucket_name": "logs", **args}))  # type: ignore[typeddict-item]

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


def test_the_type_token_is_public_and_stable() -> None:
    assert ATHENA_TYPE == "vpc-flow-logs:index:FlowLogAthena"


def test_pulumis_analyzer_infers_a_documented_schema() -> None:
    from pulumi.provider.experimental.analyzer import Analyzer

    from components.storage.athena import FlowLogAthena

    (definition,) = (
        Analyzer("vpc-flow-logs").analyze([FlowLogAthena])["component_definitions"].values()
    )

    for key, prop in definition.inputs.items():
        assert prop.description, key
        if key not in {"vpcIds", "bucketName"}:
            assert "Defaults to" in prop.description, key
    assert all(prop.description for prop in definition.outputs.values())
