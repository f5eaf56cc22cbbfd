"""Exact decimals in PostgreSQL: unconstrained NUMERIC.

Django's DecimalField needs a precision and scale and quantizes to them; the engine's
values (cumulative notionals, average prices, FIFO costs) have no fixed scale, and a
ledger must store exactly what the engine computed, so the column is plain `numeric`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models


class ExactDecimalField(models.Field):  # type: ignore[type-arg]
    description = "Exact decimal (unconstrained NUMERIC)"

    def db_type(self, connection: Any) -> str:
        return "numeric"

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(str(value))

    def get_prep_value(self, value: Any) -> Decimal | None:
        return self.to_python(value)
