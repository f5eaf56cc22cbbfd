"""A local stand-in for the Stripe API endpoints the platform calls, answering with Stripe's documented
object shapes, and webhook events signed as Stripe signs them (Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256
of "<t>.<payload>" with the endpoint secret>)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


class FakeStripe:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.counter = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = dict(parse_qsl(body))
                fake.requests.append((self.path, form))
                status, obj = fake.answer(self.path, form)
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_test{self.counter:06d}"

    def answer(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        meta = {k[len("metadata[") : -1]: v for k, v in form.items() if k.startswith("metadata[")}
        if path == "/v1/customers":
            return 200, {"id": self._id("cus"), "object": "customer", "email": form.get("email"), "metadata": meta,
                         "created": int(time.time()), "livemode": False}  # fmt: skip
        if path == "/v1/checkout/sessions":
            sid = self._id("cs")
            return 200, {"id": sid, "object": "checkout.session", "mode": form.get("mode"), "status": "open",
                         "payment_status": "unpaid", "customer": form.get("customer"), "subscription": None,
                         "client_reference_id": form.get("client_reference_id"), "metadata": meta,
                         "url": f"https://checkout.stripe.com/c/pay/{sid}", "livemode": False}  # fmt: skip
        if path == "/v1/billing_portal/sessions":
            sid = self._id("bps")
            return 200, {"id": sid, "object": "billing_portal.session", "customer": form.get("customer"),
                         "return_url": form.get("return_url"), "url": f"https://billing.stripe.com/p/session/{sid}",
                         "livemode": False}  # fmt: skip
        if path == "/v1/accounts":
            return 200, {"id": self._id("acct"), "object": "account", "type": form.get("type"), "metadata": meta,
                         "charges_enabled": False, "payouts_enabled": False, "details_submitted": False}  # fmt: skip
        if path == "/v1/account_links":
            now = int(time.time())
            url = f"https://connect.stripe.com/setup/e/{form.get('account')}/{self._id('link')}"
            return 200, {"object": "account_link", "created": now, "expires_at": now + 300, "url": url}
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})"}}


def event(kind: str, obj: dict[str, Any], *, created: int, event_id: str | None = None) -> bytes:
    return json.dumps({"id": event_id or f"evt_{kind}_{created}", "object": "event", "type": kind,
                       "created": created, "api_version": "2025-01-27.acacia", "livemode": False,
                       "data": {"object": obj}}).encode()  # fmt: skip


def sign(payload: bytes, secret: str, t: int | None = None) -> str:
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def subscription(sub_id: str, status: str, meta: dict[str, str], customer: str = "cus_x") -> dict[str, Any]:
    return {"id": sub_id, "object": "subscription", "status": status, "customer": customer, "metadata": meta,
            "items": {"object": "list", "data": []}}  # fmt: skip


def invoice(sub_id: str, meta: dict[str, str], status: str, customer: str = "cus_x") -> dict[str, Any]:
    return {"id": f"in_{sub_id}_{status}", "object": "invoice", "status": status, "customer": customer,
            "parent": {"type": "subscription_details",
                       "subscription_details": {"subscription": sub_id, "metadata": meta}}}  # fmt: skip
