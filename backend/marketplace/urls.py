from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from backend.marketplace import api

router = SimpleRouter(trailing_slash=False)
router.register("marketplace/publisher", api.PublisherViewSet, basename="marketplace-publisher")
router.register("marketplace/my-listings", api.MyListingViewSet, basename="marketplace-my-listings")
router.register("marketplace/my-versions", api.MyVersionViewSet, basename="marketplace-my-versions")
router.register("marketplace/subscriptions", api.SubscriptionViewSet, basename="marketplace-subscriptions")
router.register("marketplace/reviews", api.ReviewViewSet, basename="marketplace-reviews")

urlpatterns = [
    path("marketplace/listings", api.PublicListingsView.as_view(), name="marketplace-listings"),
    path("marketplace/facets", api.PublicFacetsView.as_view(), name="marketplace-facets"),
    path("marketplace/listings/<slug:slug>", api.PublicListingView.as_view(), name="marketplace-listing"),
    *router.urls,
]
