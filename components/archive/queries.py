"""The archive's saved queries: the organisation's records broken down by account."""

from __future__ import annotations

from collections.abc import Sequence

from components.flow_logs.log_format import DEFAULT_FIELDS
from components.storage.athena_schema import (
    ACCOUNT_PARTITION,
    QUERY_WINDOW_DAYS,
    TABLE_NAME,
    NamedQuery,
    recent_window,
)

_INTERNET_PATHS = "traffic_path IN (2, 8)"
_PUBLIC_DESTINATION = r"NOT regexp_like(dstaddr, '^(10|172\.(1[6-9]|2[0-9]|3[01])|192\.168)\.')"


def account_queries(log_format: Sequence[str], table: str = TABLE_NAME) -> list[NamedQuery]:
    """Top accounts by rejected flows, and by bytes to the internet, over the last
    ``QUERY_WINDOW_DAYS`` days; each created when the format has the fields it reads."""
    window = recent_window()
    internet = _INTERNET_PATHS if "traffic-path" in log_format else _PUBLIC_DESTINATION
    queries = [
        NamedQuery(
            key="rejections-by-account",
            name="Rejected flows by account",
            description=f"The accounts with the most rejected flows in the last "
            f"{QUERY_WINDOW_DAYS} days.",
            sql=(
                f"SELECT {ACCOUNT_PARTITION}, count(*) AS rejected_flows\n"
                f"FROM {table}\n"
                f"WHERE action = 'REJECT' AND {window}\n"
                f"GROUP BY {ACCOUNT_PARTITION}\n"
                "ORDER BY rejected_flows DESC\n"
                "LIMIT 25"
            ),
            needs=("action",),
        ),
        NamedQuery(
            key="egress-by-account",
            name="Bytes to the internet by account",
            description=f"The accounts that sent the most bytes to the internet in the last "
            f"{QUERY_WINDOW_DAYS} days.",
            sql=(
                f"SELECT {ACCOUNT_PARTITION}, sum(bytes) AS egress_bytes\n"
                f"FROM {table}\n"
                f"WHERE flow_direction = 'egress' AND {internet} AND {window}\n"
                f"GROUP BY {ACCOUNT_PARTITION}\n"
                "ORDER BY egress_bytes DESC\n"
                "LIMIT 25"
            ),
            needs=("flow-direction", "dstaddr", "bytes"),
        ),
    ]
    fields = set(log_format or DEFAULT_FIELDS)
    return [q for q in queries if set(q.needs) <= fields]
