"""Resolving a Glue table's partition projection into an S3 location, as Athena does.

Written from Athena's documentation of the projection types, independently of the code that
builds the table, so a test can compare the location a table resolves to with the keys AWS
writes. Only the types this project uses are supported; any other raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

_JAVA_DATE = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H"}


def _date_value(parameters: Mapping[str, str], column: str, when: datetime) -> str:
    fmt = parameters[f"projection.{column}.format"]
    start, end = parameters[f"projection.{column}.range"].split(",")
    value = re.sub("yyyy|MM|dd|HH", lambda m: when.strftime(_JAVA_DATE[m.group()]), fmt)
    first = re.sub("yyyy|MM|dd|HH", lambda m: f"{{{m.group()}}}", fmt)
    assert end == "NOW", f"{column}: the range must end at NOW, not {end!r}"
    # Same format on both sides: comparing the formatted strings compares the dates.
    assert start <= value, f"{column}: {value} is before the range's start {start} ({first})"
    return value


def _integer_value(parameters: Mapping[str, str], column: str, value: int) -> str:
    low, high = (int(v) for v in parameters[f"projection.{column}.range"].split(","))
    assert low <= value <= high, f"{column}: {value} is outside {low}..{high}"
    digits = int(parameters.get(f"projection.{column}.digits", "1"))
    return str(value).zfill(digits)


_FROM_TIME = {
    "year": lambda t: t.year,
    "month": lambda t: t.month,
    "day": lambda t: t.day,
    "hour": lambda t: t.hour,
}


def resolve_projection(
    table_inputs: Mapping[str, Any],
    when: datetime,
    region: str = "us-east-1",
    account: str | None = None,
) -> str:
    """The S3 location of the partition holding records delivered at ``when`` from ``region``
    (for ``account``, in an archive's table, whose ``aws_account`` enum is the account's).

    Each partition column's value comes from the time (column ``year`` gets the year, and so
    on) or, for an enum, is ``region``; it is formatted as its projection type says and checked
    against its range or values, then put into ``storage.location.template``.
    """
    parameters: Mapping[str, str] = table_inputs["parameters"]
    assert parameters["projection.enabled"] == "true"
    template = parameters["storage.location.template"]
    values: dict[str, str] = {}
    for key in table_inputs["partitionKeys"]:
        column = key["name"]
        kind = parameters[f"projection.{column}.type"]
        if kind == "date":
            values[column] = _date_value(parameters, column, when)
        elif kind == "integer":
            values[column] = _integer_value(parameters, column, _FROM_TIME[column](when))
        elif kind == "enum":
            allowed = parameters[f"projection.{column}.values"].split(",")
            value = account if column == "aws_account" else region
            assert value in allowed, f"{column}: {value!r} is not among {allowed}"
            values[column] = value
        else:
            raise AssertionError(f"{column}: projection type {kind!r} is not supported here")
    placeholders = set(re.findall(r"\$\{([^}]+)\}", template))
    assert placeholders == set(values), f"template {template} vs partitions {sorted(values)}"
    return re.sub(r"\$\{([^}]+)\}", lambda m: values[m.group(1)], template)
