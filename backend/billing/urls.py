from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from backend.billing import api

router = SimpleRouter(trailing_slash=False)
router.register("billing", api.BillingViewSet, basename="billing")

urlpatterns = [
    path("billing/stripe/webhook", api.StripeWebhookView.as_view(), name="billing-stripe-webhook"),
    *router.urls,
]
