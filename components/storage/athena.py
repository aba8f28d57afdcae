"""The ``FlowLogAthena`` component: query flow logs in S3 with Athena, with no crawler, no
``MSCK REPAIR`` and no Lambda.

No ``from __future__ import annotations`` here: it would hide the args' real annotations from
Pulumi's schema analyzer.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any, Required, TypedDict

import pulumi
import pulumi_aws as aws

from components.aws_context import aws_context
from components.config import SettingsError
from components.flow_logs.settings import FlowLogOptions, log_format_problems
from components.regions import region_problems
from components.storage.athena_schema import (
    TABLE_NAME,
    columns,
    glue_columns,
    location_template,
    named_queries,
    partition_keys,
    projection_parameters,
    storage_format,
    table_location,
)
from components.storage.bucket import results_bucket
from components.storage.layout import logs_key_prefix, service_folder
from components.storage.s3_delivery import S3FlowLogs
from components.storage.settings import (
    ATHENA_RESULTS_PREFIX,
    FileFormat,
    StorageSettings,
    glue_name_problems,
    workgroup_name_problems,
)

ATHENA_TYPE = "vpc-flow-logs:index:FlowLogAthena"
"""The component's type token. Public: renaming it needs ``aliases`` in the same change."""
GIB = 1024**3


class FlowLogAthenaArgs(TypedDict, total=False):
    """Where the flow logs are in S3, how they are laid out, and how much a query may scan."""

    bucket_name: Required[pulumi.Input[str]]
    """The bucket the flow logs are delivered to. Required."""
    prefix: str
    """The folder inside the bucket, as the flow logs were given it. Defaults to none."""
    file_format: FileFormat
    """The flow logs' file format. Defaults to ``parquet``."""
    hive_partitions: bool
    """Whether the flow logs write Hive-compatible prefixes. Defaults to true."""
    per_hour_partition: bool
    """Whether the flow logs add an hour level to the prefixes. Defaults to false."""
    regions: Sequence[str]
    """Every region whose flow logs deliver to the bucket; the table's ``aws_region`` partition
    enumerates them. Defaults to the provider's region."""
    accounts: Sequence[str]
    """In the organisation's archive, every account whose flow logs the bucket holds: the table
    then covers every account's folder, with an ``aws_account`` partition that enumerates them,
    and the saved queries gain per-account breakdowns. Defaults to none: this account's folder."""
    log_format: Sequence[str]
    """The flow logs' record fields in order. Defaults to AWS's default (version 2) format."""
    athena_scan_limit_gb: int
    """The most data one query in the workgroup may scan, in GB. Defaults to 10."""
    results_bucket_name: pulumi.Input[str]
    """A bucket of the stack's own, whose lifecycle expires ``athena-results/``, for query
    results. Defaults to a small results bucket the component creates."""
    kms_key_arn: pulumi.Input[str]
    """A customer-managed key to encrypt query results with (SSE-KMS). Defaults to SSE-S3."""
    database_name: str
    """The Glue database. Defaults to ``vpc_flow_logs_<stack>``."""
    workgroup_name: str
    """The Athena workgroup. Defaults to ``vpc-flow-logs-<stack>``."""
    tags: Mapping[str, str]
    """Tags for every resource created. Defaults to none."""


def default_names(stack: str) -> tuple[str, str]:
    """The default Glue database and workgroup names for a stack."""
    database = "vpc_flow_logs_" + re.sub(r"[^a-z0-9_]", "_", stack.lower())
    return database[:255], f"vpc-flow-logs-{re.sub(r'[^A-Za-z0-9._-]', '-', stack)}"[:128]


def validate_athena_args(args: FlowLogAthenaArgs) -> tuple[StorageSettings, str, str]:
    """The storage settings and the database and workgroup names; raises naming every problem."""
    problems: list[str] = []
    storage: StorageSettings | None = None
    try:
        storage = StorageSettings.from_args(args)
    except SettingsError as error:
        problems += str(error).split("\n")
    problems += log_format_problems(args.get("log_format", ()))
    problems += region_problems(list(args.get("regions", ())))
    default_database, default_workgroup = default_names(pulumi.get_stack())
    database = args.get("database_name", default_database)
    workgroup = args.get("workgroup_name", default_workgroup)
    problems += glue_name_problems("databaseName", database)
    problems += workgroup_name_problems(workgroup)
    if problems or storage is None:
        raise SettingsError("\n".join(problems))
    return storage, database, workgroup


class FlowLogAthena(pulumi.ComponentResource):
    """A Glue table over flow logs in S3 that Athena partitions by projection, a workgroup that
    caps each query's scan and encrypts its results, and saved queries for investigations.

    The projection reproduces exactly the keys AWS writes, for either key layout, with or
    without hourly folders: partitions need no crawler, no ``MSCK REPAIR`` and no Lambda.
    """

    database_name: pulumi.Output[str]
    """The Glue database."""
    table_name: pulumi.Output[str]
    """The flow-log table, in that database."""
    workgroup_name: pulumi.Output[str]
    """The workgroup to run queries in; its settings are enforced."""
    results_location: pulumi.Output[str]
    """Where query results are written (``s3://.../athena-results/``)."""

    def __init__(
        self, name: str, args: FlowLogAthenaArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        storage, database_name, workgroup_name = validate_athena_args(args)
        super().__init__(ATHENA_TYPE, name, None, opts)
        context = aws_context(pulumi.InvokeOptions(parent=self))
        tags = dict(args.get("tags", {}))
        log_format = list(args.get("log_format", ()))
        kms_key_arn = args.get("kms_key_arn")

        results_bucket_name = args.get("results_bucket_name")
        if results_bucket_name is None:
            results = results_bucket(
                f"{name}-results", context=context, kms_key_arn=kms_key_arn, tags=tags, parent=self
            )
            results_bucket_name = results.bucket.bucket
        results_location = pulumi.Output.from_input(results_bucket_name).apply(
            lambda b: f"s3://{b}/{ATHENA_RESULTS_PREFIX}"
        )

        database = aws.glue.CatalogDatabase(
            f"{name}-database",
            name=database_name,
            description="VPC flow logs delivered to S3",
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        accounts = list(args.get("accounts") or [])
        # An archive's table starts at the accounts' parent folder; otherwise at this account's.
        folder = (
            logs_key_prefix(storage.prefix)
            if accounts
            else service_folder(context, storage.prefix, storage.hive_partitions)
        )
        regions = list(args.get("regions") or [context.region])
        location = pulumi.Output.from_input(args["bucket_name"]).apply(
            lambda b: table_location(b, folder)
        )
        template = location.apply(
            lambda loc: location_template(
                loc, storage.hive_partitions, storage.per_hour_partition, bool(accounts)
            )
        )
        serde = storage_format(storage.file_format)
        parameters: Any = {
            **serde.table_parameters,
            **projection_parameters(storage.per_hour_partition, regions, accounts),
            "storage.location.template": template,
        }
        storage_descriptor: Any = {
            "location": location,
            "input_format": serde.input_format,
            "output_format": serde.output_format,
            "ser_de_info": {
                "serialization_library": serde.serialization_library,
                "parameters": dict(serde.serde_parameters),
            },
            "columns": glue_columns(columns(log_format)),
        }
        table = aws.glue.CatalogTable(
            f"{name}-table",
            name=TABLE_NAME,
            database_name=database.name,
            table_type="EXTERNAL_TABLE",
            parameters=parameters,
            partition_keys=glue_columns(partition_keys(storage.per_hour_partition, bool(accounts))),
            storage_descriptor=storage_descriptor,
            opts=pulumi.ResourceOptions(parent=self),
        )
        encryption: Any = (
            {"encryption_option": "SSE_KMS", "kms_key_arn": kms_key_arn}
            if kms_key_arn is not None
            else {"encryption_option": "SSE_S3"}
        )
        workgroup = aws.athena.Workgroup(
            f"{name}-workgroup",
            name=workgroup_name,
            description="Queries over VPC flow logs, each capped in the data it scans",
            state="ENABLED",
            configuration={
                "enforce_workgroup_configuration": True,
                "publish_cloudwatch_metrics_enabled": True,
                "bytes_scanned_cutoff_per_query": storage.athena_scan_limit_gb * GIB,
                "result_configuration": {
                    "output_location": results_location,
                    "encryption_configuration": encryption,
                },
            },
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self),
        )
        queries = named_queries(log_format)
        if accounts:
            from components.archive.queries import account_queries

            queries += account_queries(log_format)
        for query in queries:
            aws.athena.NamedQuery(
                f"{name}-{query.key}",
                name=query.name,
                description=query.description,
                database=database.name,
                workgroup=workgroup.name,
                query=query.sql,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[table]),
            )

        self.database_name = database.name
        self.table_name = table.name
        self.workgroup_name = workgroup.name
        self.results_location = results_location
        self.register_outputs(
            {
                "databaseName": self.database_name,
                "tableName": self.table_name,
                "workgroupName": self.workgroup_name,
                "resultsLocation": self.results_location,
            }
        )


def athena_args(
    s3: S3FlowLogs,
    options: FlowLogOptions,
    storage: StorageSettings,
    regions: Sequence[str] | None = None,
) -> FlowLogAthenaArgs:
    """The component's arguments for the flow logs of an ``S3FlowLogs`` built from ``storage``.

    Results go to the log bucket (whose lifecycle expires them) when the stack created it, and
    to a results bucket of the component's own when the log bucket is someone else's. Results
    are encrypted with the log bucket's key, or ``kmsKeyArn``, when there is one.
    """
    args = FlowLogAthenaArgs(
        bucket_name=s3.bucket_name,
        prefix=storage.prefix,
        file_format=storage.file_format,
        hive_partitions=storage.hive_partitions,
        per_hour_partition=storage.per_hour_partition,
        log_format=list(options.log_format),
        athena_scan_limit_gb=storage.athena_scan_limit_gb,
        tags=dict(options.tags),
    )
    if regions:
        args["regions"] = list(regions)
    if s3.archive_accounts:
        args["accounts"] = list(s3.archive_accounts)
    if storage.bucket_arn is None:
        args["results_bucket_name"] = s3.bucket_name
        if options.encrypt_logs or options.kms_key_arn is not None:
            args["kms_key_arn"] = s3.kms_key_arn.apply(lambda arn: arn or "")
    elif options.kms_key_arn is not None:
        args["kms_key_arn"] = options.kms_key_arn
    return args
