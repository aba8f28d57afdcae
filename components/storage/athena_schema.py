"""The Athena table over flow logs in S3: columns, storage format, partition projection, queries.

Pure functions: the tests check the columns against the format, resolve the projection into the
keys AWS writes, and check that every named query reads only columns the table has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from components.flow_logs.log_format import DEFAULT_FIELDS
from components.internet_egress import (
    Condition,
    egress_conditions,
    missing_fields,
    private_address_regex,
)
from components.storage.settings import FileFormat

TABLE_NAME = "flow_logs"

COLUMN_TYPES: Mapping[str, str] = {
    "version": "int",
    "account-id": "string",
    "interface-id": "string",
    "srcaddr": "string",
    "dstaddr": "string",
    "srcport": "int",
    "dstport": "int",
    "protocol": "bigint",
    "packets": "bigint",
    "bytes": "bigint",
    "start": "bigint",
    "end": "bigint",
    "action": "string",
    "log-status": "string",
    "vpc-id": "string",
    "subnet-id": "string",
    "instance-id": "string",
    "tcp-flags": "int",
    "type": "string",
    "pkt-srcaddr": "string",
    "pkt-dstaddr": "string",
    "region": "string",
    "az-id": "string",
    "sublocation-type": "string",
    "sublocation-id": "string",
    "pkt-src-aws-service": "string",
    "pkt-dst-aws-service": "string",
    "flow-direction": "string",
    "traffic-path": "int",
    "encryption-status": "int",
}
"""Athena types of the fields, as in AWS's own flow-log tables; any other field is a string."""

PROJECTION_START_YEAR = 2018
"""The first year projected: VPC flow logs could first be delivered to S3 in 2018, so even an
existing bucket's oldest logs are covered. Later years with no objects cost one listing each."""


@dataclass(frozen=True)
class StorageFormat:
    """How Athena reads the objects: SerDe, input and output formats, and table parameters."""

    serialization_library: str
    serde_parameters: Mapping[str, str]
    input_format: str
    output_format: str
    table_parameters: Mapping[str, str]


PARQUET = StorageFormat(
    serialization_library="org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    serde_parameters={"serialization.format": "1"},
    input_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    output_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    table_parameters={"EXTERNAL": "TRUE", "classification": "parquet"},
)
PLAIN_TEXT = StorageFormat(
    serialization_library="org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
    serde_parameters={"field.delim": " ", "serialization.format": " "},
    input_format="org.apache.hadoop.mapred.TextInputFormat",
    output_format="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    # Each plain-text object starts with a header line naming the fields.
    table_parameters={"EXTERNAL": "TRUE", "classification": "csv", "skip.header.line.count": "1"},
)


def storage_format(file_format: FileFormat) -> StorageFormat:
    """The SerDe and formats for a flow log's file format."""
    return PARQUET if file_format == FileFormat.PARQUET else PLAIN_TEXT


def column_name(field: str) -> str:
    """A field's column name: ``-`` becomes ``_``, as in AWS's Parquet files."""
    return field.replace("-", "_")


def columns(log_format: Sequence[str]) -> list[tuple[str, str]]:
    """The table's columns, field for field in the format's order (AWS's default when empty)."""
    fields = list(log_format) or list(DEFAULT_FIELDS)
    return [(column_name(f), COLUMN_TYPES.get(f, "string")) for f in fields]


REGION_PARTITION = "aws_region"
"""The partition column of the region a record was delivered from. Not ``region``: a format
may record the ``region`` field, which is a data column of that name."""


ACCOUNT_PARTITION = "aws_account"
"""In an archive, the partition column of the account a record was delivered for. Not
``account_id``: that is a data column of the default format."""


def partition_keys(per_hour_partition: bool, accounts: bool = False) -> list[tuple[str, str]]:
    """The partition columns, the same for both key layouts so queries work on either; an
    archive's table adds the account first, as its folder comes first."""
    keys = [(REGION_PARTITION, "string"), ("year", "string"), ("month", "int"), ("day", "int")]
    if accounts:
        keys.insert(0, (ACCOUNT_PARTITION, "string"))
    return [*keys, ("hour", "int")] if per_hour_partition else keys


def projection_parameters(
    per_hour_partition: bool, regions: Sequence[str], accounts: Sequence[str] = ()
) -> dict[str, str]:
    """Table parameters that make Athena compute partitions: no crawler, repair or Lambda.

    ``aws_region`` enumerates ``regions``, every region whose flow logs deliver to the bucket;
    ``year`` is a date projection from ``PROJECTION_START_YEAR`` to ``NOW``; month, day and hour
    are two-digit integers, as AWS writes them. Every column is enumerated or ranged (none is
    ``injected``), so a query that names no partition still runs, over every partition. The
    table also needs ``storage.location.template`` (see ``location_template``).
    """
    parameters = {
        "projection.enabled": "true",
        f"projection.{REGION_PARTITION}.type": "enum",
        f"projection.{REGION_PARTITION}.values": ",".join(regions),
        "projection.year.type": "date",
        "projection.year.format": "yyyy",
        "projection.year.range": f"{PROJECTION_START_YEAR},NOW",
        "projection.year.interval": "1",
        "projection.year.interval.unit": "YEARS",
        "projection.month.type": "integer",
        "projection.month.range": "1,12",
        "projection.month.digits": "2",
        "projection.day.type": "integer",
        "projection.day.range": "1,31",
        "projection.day.digits": "2",
    }
    if accounts:
        # An archive's accounts, enumerated: a query naming one reads that account's folder only.
        parameters |= {
            f"projection.{ACCOUNT_PARTITION}.type": "enum",
            f"projection.{ACCOUNT_PARTITION}.values": ",".join(accounts),
        }
    if per_hour_partition:
        parameters |= {
            "projection.hour.type": "integer",
            "projection.hour.range": "0,23",
            "projection.hour.digits": "2",
        }
    return parameters


def table_location(bucket: str, service_folder: str) -> str:
    """The table's ``LOCATION``: the folder of this account's flow logs, every region's."""
    return f"s3://{bucket}/{service_folder}"


def location_template(
    location: str, hive_partitions: bool, per_hour_partition: bool, accounts: bool = False
) -> str:
    """Where one partition's objects are, with ``${column}`` placeholders, as AWS lays them out:
    in an archive (``location`` is then ``[prefix/]AWSLogs/``) the account's and service's
    folders first, then the region's (``aws-region=`` in the Hive layout), then the dated ones."""
    keys = [name for name, _ in partition_keys(per_hour_partition)]
    account = f"${{{ACCOUNT_PARTITION}}}"
    if hive_partitions:
        # AWS names the region's folder aws-region=, the column is aws_region; the dates match.
        lead = [f"aws-account-id={account}/aws-service=vpcflowlogs/"] if accounts else []
        folders = [*lead, f"aws-region=${{{REGION_PARTITION}}}/"]
        folders += [f"{key}=${{{key}}}/" for key in keys if key != REGION_PARTITION]
        return location + "".join(folders)
    lead = [f"{account}/vpcflowlogs/"] if accounts else []
    return location + "".join([*lead, *(f"${{{key}}}/" for key in keys)])


QUERY_WINDOW_DAYS = 7
"""Days of records each named query reads, so it scans a week, not years."""


def recent_window(days: int = QUERY_WINDOW_DAYS) -> str:
    """A predicate on the partition columns that keeps the last ``days`` days (UTC).

    Arithmetic on the numbers rather than building a date from them: projected days that don't
    exist (31 February) would make a date constructor fail, and compare harmlessly here.
    """
    return (
        "CAST(year AS integer) * 10000 + month * 100 + day >= "
        f"CAST(date_format(current_timestamp - INTERVAL '{days}' DAY, '%Y%m%d') AS integer)"
    )


@dataclass(frozen=True)
class NamedQuery:
    """A saved query in the workgroup."""

    key: str
    """Short name, part of the resource name."""
    name: str
    description: str
    sql: str
    needs: tuple[str, ...]
    """Fields the query reads; it is created only when the format has all of them."""


def _sql_condition(condition: Condition) -> str:
    column = condition.field.replace("-", "_")
    if condition.kind in ("private", "not-private"):
        negation = "NOT " if condition.kind == "not-private" else ""
        return f"{negation}regexp_like({column}, '{private_address_regex()}')"
    if condition.field == "traffic-path":
        # An int column: a record without a path is NULL, which is not 7 either.
        return f"({column} IS NULL OR {column} <> {condition.value})"
    op = "=" if condition.kind == "equals" else "<>"
    return f"{column} {op} '{condition.value}'"


def egress_predicate(log_format: Sequence[str]) -> str:
    """Records leaving for the internet, as the monitoring's egress metric counts them
    (``components.internet_egress``), with the same address prefixes as a regular expression."""
    return " AND ".join(_sql_condition(c) for c in egress_conditions(log_format))


def named_queries(log_format: Sequence[str], table: str = TABLE_NAME) -> list[NamedQuery]:
    """The saved queries the format can answer, each limited to ``QUERY_WINDOW_DAYS`` days."""
    window = recent_window()
    fields = tuple(log_format or DEFAULT_FIELDS)
    egress = egress_predicate(fields) if not missing_fields(fields) else ""
    queries = [
        NamedQuery(
            key="top-talkers",
            name="Top talkers",
            description=f"The 25 address pairs that moved the most bytes in the last "
            f"{QUERY_WINDOW_DAYS} days.",
            sql=(
                "SELECT srcaddr, dstaddr, sum(bytes) AS total_bytes, "
                "sum(packets) AS total_packets\n"
                f"FROM {table}\n"
                f"WHERE {window}\n"
                "GROUP BY srcaddr, dstaddr\n"
                "ORDER BY total_bytes DESC\n"
                "LIMIT 25"
            ),
            needs=("srcaddr", "dstaddr", "bytes", "packets"),
        ),
        NamedQuery(
            key="rejections-by-port",
            name="Rejections by destination port",
            description=f"Rejected flows per destination port and protocol in the last "
            f"{QUERY_WINDOW_DAYS} days.",
            sql=(
                "SELECT dstport, protocol, count(*) AS rejected_flows\n"
                f"FROM {table}\n"
                f"WHERE action = 'REJECT' AND {window}\n"
                "GROUP BY dstport, protocol\n"
                "ORDER BY rejected_flows DESC\n"
                "LIMIT 25"
            ),
            needs=("dstport", "protocol", "action"),
        ),
        NamedQuery(
            key="egress-by-destination",
            name="Egress by destination",
            description=f"Bytes leaving for the internet per destination in the last "
            f"{QUERY_WINDOW_DAYS} days.",
            sql=(
                "SELECT dstaddr, sum(bytes) AS egress_bytes\n"
                f"FROM {table}\n"
                f"WHERE {egress} AND {window}\n"
                "GROUP BY dstaddr\n"
                "ORDER BY egress_bytes DESC\n"
                "LIMIT 25"
            ),
            needs=("dstaddr", "bytes", "action")
            + (("flow-direction",) if "flow-direction" in fields else ("srcaddr",)),
        ),
        NamedQuery(
            key="traffic-of-address",
            name="All traffic of one address",
            description=f"Every record from or to one address in the last {QUERY_WINDOW_DAYS} "
            "days. Give the address twice as the execution parameters.",
            sql=(
                "SELECT *\n"
                f"FROM {table}\n"
                f"WHERE (srcaddr = ? OR dstaddr = ?) AND {window}\n"
                'ORDER BY "start"\n'
                "LIMIT 1000"
            ),
            needs=("srcaddr", "dstaddr", "start"),
        ),
    ]
    return [q for q in queries if set(q.needs) <= set(fields)]


def glue_columns(pairs: Sequence[tuple[str, str]]) -> list[Any]:
    """Columns as the Glue table's arguments take them."""
    return [{"name": name, "type": type_} for name, type_ in pairs]
