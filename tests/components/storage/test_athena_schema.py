"""The Athena table's columns, storage format, partition projection and saved queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from components.aws_context import AwsContext
from components.flow_logs.log_format import FIELD_VERSIONS
from components.internet_egress import private_address_regex
from components.storage.athena_schema import (
    PARQUET,
    PLAIN_TEXT,
    TABLE_NAME,
    columns,
    glue_columns,
    location_template,
    named_queries,
    partition_keys,
    projection_parameters,
    recent_window,
    storage_format,
    table_location,
)
from components.storage.layout import service_folder
from components.storage.settings import FileFormat
from tests.support.projection import resolve_projection

# AWS's own Parquet table for flow logs, versions 2 to 5, as ../shared/FACTS.md quotes it.
AWS_TABLE = (
    "version int, account_id string, interface_id string, srcaddr string, dstaddr string, "
    "srcport int, dstport int, protocol bigint, packets bigint, bytes bigint, start bigint, "
    "end bigint, action string, log_status string, vpc_id string, subnet_id string, "
    "instance_id string, tcp_flags int, type string, pkt_srcaddr string, pkt_dstaddr string, "
    "region string, az_id string, sublocation_type string, sublocation_id string, "
    "pkt_src_aws_service string, pkt_dst_aws_service string, flow_direction string, "
    "traffic_path int"
)
AWS_COLUMNS = [tuple(c.split(" ")) for c in AWS_TABLE.split(", ")]
V2_TO_V5 = [f for f, v in FIELD_VERSIONS.items() if v <= 5]

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
WHEN = datetime(2026, 3, 9, 7, 41, tzinfo=UTC)


def test_default_format_columns_are_aws_version_2_columns() -> None:
    assert columns(()) == AWS_COLUMNS[:14]


def test_every_field_of_versions_2_to_5_has_aws_name_and_type() -> None:
    assert columns(V2_TO_V5) == AWS_COLUMNS


def test_custom_format_columns_follow_the_format_field_for_field() -> None:
    fields = ["flow-direction", "srcaddr", "tcp-flags", "reject-reason", "ecs-cluster-name"]

    assert columns(fields) == [
        ("flow_direction", "string"),
        ("srcaddr", "string"),
        ("tcp_flags", "int"),
        ("reject_reason", "string"),
        ("ecs_cluster_name", "string"),
    ]
    assert glue_columns(columns(["dstport"])) == [{"name": "dstport", "type": "int"}]


def test_parquet_uses_the_parquet_serde() -> None:
    assert storage_format(FileFormat.PARQUET) is PARQUET
    assert PARQUET.serialization_library == (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    )
    assert PARQUET.input_format == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    assert PARQUET.output_format == (
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    )
    assert "skip.header.line.count" not in PARQUET.table_parameters


def test_plain_text_skips_the_header_and_splits_on_spaces() -> None:
    assert storage_format(FileFormat.PLAIN_TEXT) is PLAIN_TEXT
    assert PLAIN_TEXT.table_parameters["skip.header.line.count"] == "1"
    assert PLAIN_TEXT.serde_parameters["field.delim"] == " "
    assert PLAIN_TEXT.input_format == "org.apache.hadoop.mapred.TextInputFormat"


def aws_key_folder(prefix: str, hive: bool, per_hour: bool, region: str = "us-east-1") -> str:
    """The folder of an object AWS delivers at WHEN, spelled out as AWS documents it."""
    folder = f"{prefix}/" if prefix else ""
    if hive:
        return (
            f"{folder}AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
            f"aws-region={region}/year=2026/month=03/day=09/" + ("hour=07/" if per_hour else "")
        )
    return f"{folder}AWSLogs/123456789012/vpcflowlogs/{region}/2026/03/09/" + (
        "07/" if per_hour else ""
    )


def table_inputs(
    prefix: str, hive: bool, per_hour: bool, regions: tuple[str, ...] = ("us-east-1",)
) -> dict[str, Any]:
    """What the Glue table receives (camelCase, as on the wire)."""
    location = table_location("logs", service_folder(CONTEXT, prefix, hive))
    return {
        "parameters": {
            **projection_parameters(per_hour, regions),
            "storage.location.template": location_template(location, hive, per_hour),
        },
        "partitionKeys": glue_columns(partition_keys(per_hour)),
    }


@pytest.mark.parametrize("prefix", ["", "net/fl"])
@pytest.mark.parametrize("hive", [False, True], ids=["plain-keys", "hive-keys"])
@pytest.mark.parametrize("per_hour", [False, True], ids=["daily", "hourly"])
def test_projection_resolves_to_the_folder_aws_writes_to(
    prefix: str, hive: bool, per_hour: bool
) -> None:
    resolved = resolve_projection(table_inputs(prefix, hive, per_hour), WHEN)

    assert resolved == f"s3://logs/{aws_key_folder(prefix, hive, per_hour)}"


@pytest.mark.parametrize("hive", [False, True], ids=["plain-keys", "hive-keys"])
def test_one_table_covers_every_region_through_an_enum_partition(hive: bool) -> None:
    regions = ("us-east-1", "eu-west-1", "ap-southeast-2")
    inputs = table_inputs("fl", hive, False, regions)

    assert inputs["parameters"]["projection.aws_region.type"] == "enum"
    for region in regions:
        resolved = resolve_projection(inputs, WHEN, region)
        assert resolved == f"s3://logs/{aws_key_folder('fl', hive, False, region)}"
    with pytest.raises(AssertionError, match="is not among"):
        resolve_projection(inputs, WHEN, "us-west-2")


@pytest.mark.parametrize("per_hour", [False, True])
def test_projection_uses_no_injected_column_and_runs_to_now(per_hour: bool) -> None:
    parameters = projection_parameters(per_hour, ["us-east-1"])
    types = {k: v for k, v in parameters.items() if k.endswith(".type")}

    assert set(types.values()) <= {"enum", "integer", "date"}
    assert len(types) == len(partition_keys(per_hour))
    assert parameters["projection.year.range"] == "2018,NOW"


def test_a_time_before_the_range_does_not_resolve() -> None:
    with pytest.raises(AssertionError, match="before the range's start"):
        resolve_projection(table_inputs("", True, False), datetime(2017, 12, 31, tzinfo=UTC))


SQL_WORDS = {
    "select", "from", "where", "group", "by", "order", "desc", "limit", "as", "and", "or",
    "sum", "count", "cast", "integer", "date_format", "current_timestamp", "in", "not",
    "regexp_like", "is", "null",
}  # fmt: skip


def identifiers(sql: str) -> set[str]:
    """The names a query reads: words outside string literals, less SQL and its aliases."""
    # Literals, and the interval unit (DAY is also a partition column's name).
    without_strings = re.sub(r"INTERVAL\s+'[^']*'\s+DAY|'[^']*'", "", sql)
    aliases = set(re.findall(r"\bAS\s+(\w+)", without_strings, flags=re.IGNORECASE))
    quoted = set(re.findall(r'"(\w+)"', without_strings))
    words = set(re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r'"\w+"', "", without_strings)))
    return {w for w in words if w.lower() not in SQL_WORDS} - aliases | quoted


@pytest.mark.parametrize(
    "log_format",
    [(), tuple(V2_TO_V5), ("srcaddr", "dstaddr", "bytes", "flow-direction", "action")],
    ids=["default", "v5", "custom"],
)
@pytest.mark.parametrize("per_hour", [False, True])
def test_named_queries_read_only_columns_the_table_has(
    log_format: tuple[str, ...], per_hour: bool
) -> None:
    names = {n for n, _ in columns(log_format)} | {n for n, _ in partition_keys(per_hour)}
    queries = named_queries(log_format)

    assert queries
    for query in queries:
        assert identifiers(query.sql) - {TABLE_NAME} <= names, query.key


def test_every_named_query_reads_only_a_recent_window() -> None:
    for query in named_queries(V2_TO_V5):
        assert recent_window() in query.sql, query.key
    assert recent_window() == (
        "CAST(year AS integer) * 10000 + month * 100 + day >= "
        "CAST(date_format(current_timestamp - INTERVAL '7' DAY, '%Y%m%d') AS integer)"
    )


def test_egress_query_exists_when_the_format_can_tell_egress() -> None:
    # The default format tells it by a private source address.
    assert [q.key for q in named_queries(())] == [
        "top-talkers",
        "rejections-by-port",
        "egress-by-destination",
        "traffic-of-address",
    ]
    assert [q.key for q in named_queries(V2_TO_V5)] == [
        "top-talkers",
        "rejections-by-port",
        "egress-by-destination",
        "traffic-of-address",
    ]
    assert [q.key for q in named_queries(("srcaddr", "dstaddr", "start"))] == ["traffic-of-address"]
    assert [q.key for q in named_queries(("dstaddr", "bytes", "action"))] == []


def test_the_address_query_takes_the_address_as_execution_parameters() -> None:
    (query,) = (q for q in named_queries(()) if q.key == "traffic-of-address")

    assert "(srcaddr = ? OR dstaddr = ?)" in query.sql


def test_the_egress_query_counts_only_traffic_leaving_for_the_internet() -> None:
    def where(log_format: tuple[str, ...]) -> str:
        (query,) = (q for q in named_queries(log_format) if q.key == "egress-by-destination")
        return query.sql.split("\n")[2]

    private = re.escape(private_address_regex())
    window = re.escape(recent_window())
    assert re.fullmatch(
        f"WHERE flow_direction = 'egress' AND action = 'ACCEPT' AND "
        f"NOT regexp_like\\(dstaddr, '{private}'\\) AND "
        f"\\(traffic_path IS NULL OR traffic_path <> 7\\) AND {window}",
        where(tuple(FIELD_VERSIONS)),
    )
    assert re.fullmatch(
        f"WHERE regexp_like\\(srcaddr, '{private}'\\) AND action = 'ACCEPT' AND "
        f"NOT regexp_like\\(dstaddr, '{private}'\\) AND {window}",
        where(()),
    )
    # The expression itself is checked against the blocks in tests/components/monitoring.
    for address in ("10.0.0.1", "100.64.0.1", "169.254.169.254", "fd00:ec2::254"):
        assert re.match(private_address_regex(), address), address
    for address in ("100.128.0.1", "172.32.0.1", "8.8.8.8", "2600:1f18::1"):
        assert not re.match(private_address_regex(), address), address
