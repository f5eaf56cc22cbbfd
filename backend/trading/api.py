"""Paper trading API: accounts, orders, fills, positions, balances, equity, reset.

Reads come from PostgreSQL (the engine's committed ledger). Anything that changes
trading state is a command to the `paper_engine` worker over NATS request/reply
(gateway.send): the worker applies it to the one live engine, commits, and answers;
the API relays that answer (503 engine_unavailable when no engine answers in time).
Viewers read; traders (API keys: trade scope) and above write.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from backend.ops.errors import ApiError
from backend.tenancy.audit import client_ip, record
from backend.tenancy.models import Role
from backend.tenancy.quotas import check_quota
from backend.tenancy.viewsets import TenantScopedViewSet
from backend.trading import gateway, selectors, services, wire
from backend.trading.models import MarketState, Order, PaperAccount
from backend.trading.serializers import (
    IMMUTABLE_ACCOUNT_FIELDS,
    AccountIn,
    AccountOut,
    AccountUpdateIn,
    BalanceOut,
    EquityOut,
    FillOut,
    OrderIn,
    OrderOut,
    PositionOut,
)
from backend.trading.validation import parse_order

TAG = ["paper trading"]
ACCOUNT_ID = OpenApiParameter("account_id", int, OpenApiParameter.PATH, description="paper account id")
ORDER_ID = OpenApiParameter("order_id", str, OpenApiParameter.PATH, description="order id, e.g. 17:42")
LIMIT = OpenApiParameter("limit", int, description="rows, newest first (default 100, max 1000)")
ORDER_CURSOR = re.compile(r"^\d{1,19}:\d{1,19}$")
FILL_CURSOR = re.compile(r"^\d{1,19}:\d{1,19}-\d{1,19}$")
PAGING = (
    " Pages: `limit`, and `before` = the id of the last row seen (keyset, newest first); the `Link` header "
    '(rel="next") gives the next page when there is one.'
)
SYMBOL = OpenApiParameter("symbol", str, description="only this symbol")
ERRORS = {
    400: OpenApiResponse(description="invalid input; error.code names the reason (e.g. invalid_quantity)"),
    404: OpenApiResponse(description="no such account or order in your tenant"),
    503: OpenApiResponse(description="engine_unavailable: the paper engine did not answer"),
}


def _not_found(what: str = "account") -> ApiError:
    return ApiError(code="not_found", message=f"No such {what}.", status_code=404)


def _int_param(request: Request, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(code="invalid_input", message=f"{name} must be an integer") from None
    if not lo <= value <= hi:
        raise ApiError(code="invalid_input", message=f"{name} must be within {lo}..{hi}")
    return value


def _cursor(request: Request, pattern: re.Pattern[str], what: str, example: str) -> str | None:
    raw = request.query_params.get("before")
    if raw in (None, ""):
        return None
    if not pattern.match(raw):
        raise ApiError(
            code="invalid_cursor",
            message=f"before must be the id of {what} (e.g. {example}), got {raw[:40]!r}",
            detail={"param": "before"},
        )
    return raw


def _unknown_cursor(what: str, raw: str) -> ApiError:
    return ApiError(
        code="invalid_cursor", message=f"before: no {what} {raw} in this account", detail={"param": "before"}
    )


def _paged(request: Request, rows: list[Any], limit: int, out: list[dict[str, Any]]) -> Response:
    """The first `limit` rows (fetched limit + 1), with a Link to the next page when there is more."""
    response = Response(out[:limit])
    if len(rows) > limit:
        params = request.query_params.copy()
        params["before"] = out[limit - 1]["id"]
        params["limit"] = str(limit)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{params.urlencode()}>; rel="next"'
    return response


def _engine_error(reply: wire.Reply) -> ApiError:
    if reply.code == "unknown_account":
        return _not_found()
    return ApiError(code=reply.code or "engine_error", message=reply.message or "The engine refused.", status_code=409)


def _audit(request: Request, view: TenantScopedViewSet, action: str, target: str, data: dict[str, Any]) -> None:
    p = view.principal
    record(
        action,
        tenant_id=p.tenant_id,
        actor_label=p.label,
        actor_user_id=p.user_id,
        actor_api_key_id=p.api_key_pk,
        ip=client_ip(request),
        target=target,
        data=data,
    )


@extend_schema_view(
    list=extend_schema(summary="Paper accounts", tags=TAG, responses=AccountOut(many=True)),
    retrieve=extend_schema(summary="One paper account", tags=TAG, responses={200: AccountOut, **ERRORS}),
    destroy=extend_schema(
        summary="Close a paper account (cancels its orders; history is kept)", tags=TAG, responses={204: None, **ERRORS}
    ),
)
class AccountViewSet(TenantScopedViewSet):
    serializer_class = AccountOut
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "create": Role.TRADER,
        "partial_update": Role.TRADER,
        "destroy": Role.TRADER,
    }

    def safely_get_queryset(self) -> QuerySet[PaperAccount]:
        return selectors.accounts()

    def list(self, request: Request) -> Response:
        return Response(AccountOut(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(AccountOut(self.get_object()).data)

    @extend_schema(
        summary="Open a paper account (tier quota paper_accounts)",
        tags=TAG,
        request=AccountIn,
        responses={201: AccountOut, 400: ERRORS[400], 403: OpenApiResponse(description="quota_exceeded")},
        examples=[
            OpenApiExample(
                "spot account",
                value={
                    "name": "BTC scalper",
                    "exchange": "sim",
                    "currency": "USDT",
                    "starting_balance": "10000",
                    "maker_fee": "0.0002",
                    "taker_fee": "0.0005",
                    "risk_limits": {"max_order_notional": "5000", "max_open_orders": 50, "max_drawdown": "0.2"},
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request) -> Response:
        data = AccountIn(data=request.data)
        data.is_valid(raise_exception=True)
        tenant_id = self.principal.tenant_id
        assert tenant_id is not None
        check_quota(tenant_id=tenant_id, quota="paper_accounts", used=selectors.active_account_count(tenant_id))
        account = services.account_create(tenant_id=tenant_id, data=data.validated_data)
        _audit(request, self, "trading.account_created", f"paper account {account.pk}", {"name": account.name})
        return Response(AccountOut(account).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename, change risk limits, flip the kill switch, re-arm the drawdown breaker",
        tags=TAG,
        request=AccountUpdateIn,
        responses={200: AccountOut, **ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        account = self.get_object()
        if isinstance(request.data, dict):
            fixed = sorted(set(request.data) & set(IMMUTABLE_ACCOUNT_FIELDS))
            if fixed:
                raise ApiError(
                    code="immutable_field",
                    message=f"{', '.join(fixed)} cannot change after opening; open another account",
                    detail={"fields": fixed},
                )
        data = AccountUpdateIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if "risk_limits" in v or "kill_switch" in v or v.get("reset_breaker"):
            reply = gateway.send(
                wire.Configure(
                    account=account.pk,
                    risk_limits=v.get("risk_limits"),
                    kill_switch=v.get("kill_switch"),
                    reset_breaker=bool(v.get("reset_breaker")),
                ),
                account_id=account.pk,
            )
            if not reply.ok:
                raise _engine_error(reply)
            account.refresh_from_db()
        if "name" in v:
            services.account_rename(account=account, name=v["name"])
        _audit(request, self, "trading.account_updated", f"paper account {account.pk}", dict(request.data))
        return Response(AccountOut(account).data)

    def destroy(self, request: Request, pk: str) -> Response:
        account = self.get_object()
        reply = gateway.send(wire.Close(account=account.pk), account_id=account.pk)
        if not reply.ok:
            raise _engine_error(reply)
        _audit(request, self, "trading.account_closed", f"paper account {account.pk}", {})
        return Response(status=status.HTTP_204_NO_CONTENT)


class _AccountScoped(TenantScopedViewSet):
    """Sub-resources of one account, addressed as /accounts/<account_id>/...; never `pk`
    in the route, so the account's id is checked here, in the caller's tenant."""

    def account(self) -> PaperAccount:
        account = selectors.accounts().filter(pk=self.kwargs["account_id"]).first()
        if account is None:
            raise _not_found()
        return account  # type: ignore[no-any-return]


@extend_schema_view(
    list=extend_schema(
        summary="Orders, newest first",
        description="Filters: `status` (open = new or partially filled), `symbol`." + PAGING,
        tags=TAG,
        parameters=[
            ACCOUNT_ID,
            OpenApiParameter("status", str, description="open, new, partially_filled, filled, cancelled, ..."),
            SYMBOL,
            LIMIT,
            OpenApiParameter(
                "before", str, description="order id (e.g. 17:42) of the last row seen: only older orders"
            ),
        ],
        responses={200: OrderOut(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One order", tags=TAG, parameters=[ACCOUNT_ID, ORDER_ID], responses={200: OrderOut, **ERRORS}
    ),
)
class OrderViewSet(_AccountScoped):
    serializer_class = OrderOut
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "create": Role.TRADER,
        "cancel": Role.TRADER,
        "cancel_all": Role.TRADER,
    }

    def safely_get_queryset(self) -> QuerySet[Order]:
        return Order.objects.filter(account_id=self.kwargs["account_id"])

    def list(self, request: Request, account_id: int) -> Response:
        account = self.account()
        limit = _int_param(request, "limit", 100, 1, 1000) or 100
        raw = _cursor(request, ORDER_CURSOR, "an order", "17:42")
        before = None
        if raw is not None:
            before = selectors.order(account.pk, raw)
            if before is None:
                raise _unknown_cursor("order", raw)
        rows = selectors.orders(
            account.pk,
            status=request.query_params.get("status") or None,
            symbol=request.query_params.get("symbol") or None,
            limit=limit + 1,
            before=before,
        )
        return _paged(request, rows, limit, [wire.order_out_row(o) for o in rows])

    def retrieve(self, request: Request, account_id: int, order_id: str) -> Response:
        row = selectors.order(self.account().pk, order_id)
        if row is None:
            raise _not_found("order")
        return Response(wire.order_out_row(row))

    @extend_schema(
        summary="Place an order: the engine's answer (accepted, filled, or rejected with a reason)",
        description=(
            "201 with the order as the engine left it (a market order comes back filled at the last trade price). "
            "200 with the first order when client_order_id was used before. 400 for invalid input (nothing is "
            "written). 422 when the engine rejects it (error.code is the reason, error.detail.order the rejected "
            "order, which is kept). 503 engine_unavailable when no engine answered."
        ),
        tags=TAG,
        parameters=[ACCOUNT_ID],
        request=OrderIn,
        responses={
            201: OrderOut,
            200: OrderOut,
            422: OpenApiResponse(description="rejected by the engine, e.g. insufficient_balance"),
            **ERRORS,
        },
        examples=[
            OpenApiExample(
                "limit buy",
                value={"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.01", "price": "60000.00"},
                request_only=True,
            ),
            OpenApiExample(
                "market sell", value={"symbol": "BTC-USDT", "side": "sell", "type": "market", "qty": "0.01"}
            ),
        ],
    )
    def create(self, request: Request, account_id: int) -> Response:
        account = self.account()
        submit = parse_order(request.data, account_id=account.pk, exchange=account.exchange, currency=account.currency)
        if submit.client_order_id is not None:
            first = selectors.order_by_client_id(account.pk, submit.client_order_id)
            if first is not None:
                return Response(wire.order_out_row(first), status=status.HTTP_200_OK)
        reply = gateway.send(submit, account_id=account.pk)
        if reply.order is None:
            raise _engine_error(reply)
        if reply.duplicate:
            return Response(reply.order, status=status.HTTP_200_OK)
        if not reply.ok:
            raise ApiError(
                code=reply.code or "rejected",
                message=f"The engine rejected the order: {reply.code}.",
                status_code=422,
                detail={"order": reply.order},
            )
        return Response(reply.order, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel an open order",
        operation_id="accounts_order_cancel",
        tags=TAG,
        parameters=[ACCOUNT_ID, ORDER_ID],
        request=None,
        responses={200: OrderOut, 409: OpenApiResponse(description="order_not_open: already final"), **ERRORS},
    )
    def cancel(self, request: Request, account_id: int, order_id: str) -> Response:
        account = self.account()
        row = selectors.order(account.pk, order_id)
        if row is None:
            raise _not_found("order")
        if row.status not in Order.OPEN:
            raise ApiError(
                code="order_not_open",
                message=f"The order is {row.status}; only open orders can be cancelled.",
                status_code=409,
                detail={"status": row.status},
            )
        reply = gateway.send(wire.Cancel(account=account.pk, order_id=order_id), account_id=account.pk)
        if not reply.ok:
            if reply.code == "order_not_open":
                final = (reply.order or {}).get("status")
                raise ApiError(
                    code="order_not_open",
                    message=f"The order is {final}; only open orders can be cancelled.",
                    status_code=409,
                    detail={"status": final},
                )
            raise _engine_error(reply)
        return Response(reply.order)

    @extend_schema(
        summary="Cancel all open orders (optionally of one symbol)",
        operation_id="accounts_orders_cancel_all",
        tags=TAG,
        parameters=[ACCOUNT_ID, SYMBOL],
        request=None,
        responses={200: OrderOut(many=True), **ERRORS},
    )
    def cancel_all(self, request: Request, account_id: int) -> Response:
        account = self.account()
        symbol = request.query_params.get("symbol") or None
        reply = gateway.send(wire.CancelAll(account=account.pk, symbol=symbol), account_id=account.pk)
        if not reply.ok:
            raise _engine_error(reply)
        return Response(reply.orders)


@extend_schema_view(
    list=extend_schema(
        summary="Fills, newest first",
        description="Filter: `symbol`." + PAGING,
        tags=TAG,
        parameters=[
            ACCOUNT_ID,
            SYMBOL,
            LIMIT,
            OpenApiParameter("before", str, description="fill id (e.g. 17:42-1) of the last row seen: older fills"),
        ],
        responses={200: FillOut(many=True), **ERRORS},
    )
)
class FillViewSet(_AccountScoped):
    serializer_class = FillOut
    roles = {"list": Role.VIEWER}

    def safely_get_queryset(self) -> QuerySet[Any]:
        return self.account().fills.all()

    def list(self, request: Request, account_id: int) -> Response:
        account = self.account()
        limit = _int_param(request, "limit", 100, 1, 1000) or 100
        raw = _cursor(request, FILL_CURSOR, "a fill", "17:42-1")
        before = None
        if raw is not None:
            before = selectors.fill(account.pk, raw)
            if before is None:
                raise _unknown_cursor("fill", raw)
        rows = selectors.fills(
            account.pk, symbol=request.query_params.get("symbol") or None, limit=limit + 1, before=before
        )
        return _paged(request, rows, limit, [wire.fill_out_row(f) for f in rows])


@extend_schema_view(
    list=extend_schema(
        summary="Positions (FIFO), marked to the last trade the engine applied",
        tags=TAG,
        parameters=[ACCOUNT_ID],
        responses={200: PositionOut(many=True), **ERRORS},
    )
)
class PositionViewSet(_AccountScoped):
    serializer_class = PositionOut
    roles = {"list": Role.VIEWER}

    def safely_get_queryset(self) -> QuerySet[Any]:
        return self.account().positions.all()

    def list(self, request: Request, account_id: int) -> Response:
        account = self.account()
        rows = selectors.positions(account.pk)
        marks = {
            s.symbol: s.last_price
            for s in MarketState.objects.filter(exchange=account.exchange, symbol__in=[p.symbol for p in rows])
        }
        out = []
        for p in rows:
            mark = marks.get(p.symbol)
            unrealized = None
            if mark is not None and p.avg_entry is not None:
                unrealized = str((mark - p.avg_entry) * p.qty)
            out.append(
                {
                    "symbol": p.symbol,
                    "qty": str(p.qty),
                    "avg_entry": None if p.avg_entry is None else str(p.avg_entry),
                    "mark": None if mark is None else str(mark),
                    "unrealized_pnl": unrealized,
                    "realized_pnl": str(p.realized_pnl),
                    "fees": str(p.fees),
                    "updated_ms": p.updated_ms,
                }
            )
        return Response(out)


@extend_schema_view(
    list=extend_schema(
        summary="Balances per asset (free, locked by open orders)",
        tags=TAG,
        parameters=[ACCOUNT_ID],
        responses={200: BalanceOut(many=True), **ERRORS},
    )
)
class BalanceViewSet(_AccountScoped):
    serializer_class = BalanceOut
    roles = {"list": Role.VIEWER}

    def safely_get_queryset(self) -> QuerySet[Any]:
        return self.account().balances.all()

    def list(self, request: Request, account_id: int) -> Response:
        return Response(BalanceOut(selectors.balances(self.account().pk), many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Equity history (sampled every trading.equity_sample_interval_s)",
        tags=TAG,
        parameters=[
            ACCOUNT_ID,
            OpenApiParameter("start", int, description="from this epoch ms (inclusive)"),
            OpenApiParameter("end", int, description="until this epoch ms (exclusive)"),
            OpenApiParameter("limit", int, description="samples, the latest (default 1000, max 10000)"),
        ],
        responses={200: EquityOut(many=True), **ERRORS},
    )
)
class EquityViewSet(_AccountScoped):
    serializer_class = EquityOut
    roles = {"list": Role.VIEWER}

    def safely_get_queryset(self) -> QuerySet[Any]:
        return self.account().equity_samples.all()

    def list(self, request: Request, account_id: int) -> Response:
        account = self.account()
        big = 2**62
        rows = selectors.equity(
            account.pk,
            start_ms=_int_param(request, "start", None, 0, big),
            end_ms=_int_param(request, "end", None, 0, big),
            limit=_int_param(request, "limit", 1000, 1, 10_000) or 1000,
        )
        return Response(EquityOut(rows, many=True).data)


class ResetViewSet(_AccountScoped):
    serializer_class = AccountOut
    roles = {"create": Role.TRADER}

    def safely_get_queryset(self) -> QuerySet[Any]:
        return selectors.accounts()

    @extend_schema(
        summary="Reset: cancel all orders, clear positions, restore the starting balance (history is kept)",
        tags=TAG,
        parameters=[ACCOUNT_ID],
        request=None,
        responses={200: AccountOut, **ERRORS},
    )
    def create(self, request: Request, account_id: int) -> Response:
        account = self.account()
        reply = gateway.send(wire.Reset(account=account.pk), account_id=account.pk)
        if not reply.ok:
            raise _engine_error(reply)
        account.refresh_from_db()
        _audit(request, self, "trading.account_reset", f"paper account {account.pk}", {})
        return Response(AccountOut(account).data)
