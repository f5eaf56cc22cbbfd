"""Marketplace API.

- /marketplace/publisher, /marketplace/my-listings[/<id>[/versions|/yank]], /marketplace/my-versions[/<id>[/yank]]:
  the publishing tenant's side (TenantScopedViewSet: its own rows only, admins write).
- /marketplace/listings[/<slug>], /marketplace/facets: the public catalogue, any signed-in caller, published
  listings only (cross-tenant by design; see models.py). No endpoint ever serves module bytes.
- /marketplace/subscriptions[/<id>[/cancel]], /marketplace/reviews[/<id>]: the subscribing tenant's side.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.engine.market.intervals import INTERVALS
from backend.marketplace import selectors, services
from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, Review, RiskLevel, Subscription
from backend.marketplace.serializers import (
    FacetsOut,
    ListingDetailOut,
    ListingIn,
    ListingOut,
    ListingStatsOut,
    MyListingOut,
    PublicListingOut,
    PublicVersionOut,
    PublisherIn,
    PublisherOut,
    PublisherStateOut,
    ReviewEditIn,
    ReviewIn,
    ReviewOut,
    SubscribeIn,
    SubscribeOut,
    SubscriptionOut,
    SubscriptionPinIn,
    VersionOut,
    VersionUploadIn,
)
from backend.ops.errors import ApiError
from backend.tenancy.models import Role
from backend.tenancy.viewsets import TenantScopedViewSet

TAG = ["marketplace"]


PAGE_PARAMS = [
    OpenApiParameter("limit", int, description="1..200, default 50"),
    OpenApiParameter("before", int, description="the id of the last row seen (the next page)"),
]


def _page(request: Request, rows: QuerySet[Any], after: Any) -> tuple[list[Any], bool]:
    """A keyset page: `limit` rows after the row whose id is `before` (`after(row)` filters rows past it)."""
    try:
        limit = int(request.query_params.get("limit") or 50)
        before = request.query_params.get("before")
        before_id = int(before) if before not in (None, "") else None
    except ValueError:
        raise ApiError(code="invalid_input", message="limit and before must be integers") from None
    if not 1 <= limit <= 200:
        raise ApiError(code="invalid_input", message="limit must be within 1..200")
    if before_id is not None:
        rows = after(rows, before_id)
    page = list(rows[: limit + 1])
    return page[:limit], len(page) > limit


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ApiError(code="invalid_input", message="the body must be a JSON object")
    return dict(request.data)


class PublisherViewSet(TenantScopedViewSet):
    serializer_class = PublisherOut
    roles = {"list": Role.VIEWER, "create": Role.ADMIN, "onboarding": Role.ADMIN}

    def safely_get_queryset(self) -> QuerySet[PublisherProfile]:
        return PublisherProfile.objects.all()

    @extend_schema(
        summary="Your publisher profile (enabled: false until you enable it) and whether billing is on",
        tags=TAG,
        responses=PublisherStateOut,
    )
    def list(self, request: Request) -> Response:
        from backend.billing import services as billing

        row = self.get_queryset().first()
        body = PublisherOut(row).data if row else {"id": None, "enabled": False, "display_name": ""}
        return Response({**body, "billing_enabled": billing.enabled()})

    @extend_schema(
        summary="Enable (or update) your publisher profile: {display_name, enabled}",
        tags=TAG,
        request=PublisherIn,
        responses=PublisherOut,
    )
    def create(self, request: Request) -> Response:
        data = _body(request)
        assert self.principal.tenant_id is not None
        row = services.publisher_set(
            tenant_id=self.principal.tenant_id, display_name=data.get("display_name"), enabled=data.get("enabled", True)
        )
        return Response(PublisherOut(row).data)

    @extend_schema(
        summary="Stripe Connect onboarding for payouts: {account, url} (503 billing_disabled without Stripe)",
        tags=TAG,
        request=None,
        responses={201: OpenApiResponse(description="{account, url}")},
    )
    @action(detail=False, methods=["post"])
    def onboarding(self, request: Request) -> Response:
        from backend.billing import services as billing

        assert self.principal.tenant_id is not None
        return Response(billing.connect_onboarding(tenant_id=self.principal.tenant_id), status=201)


def _read_upload(request: Request) -> tuple[bytes, object]:
    module, manifest = request.FILES.get("module"), request.data.get("manifest")
    if module is None:
        raise ApiError(code="module_required", message="send the .wasm file as the multipart field 'module'")
    cap = settings.CONFIG.marketplace.max_upload_bytes
    if module.size > cap:
        raise ApiError(
            code="module_too_large",
            message=f"the module is {module.size:,} bytes; the limit is {cap:,}",
            status_code=413,
        )
    if manifest is None:
        raise ApiError(code="manifest_required", message="send the JSON manifest as the field 'manifest'")
    raw = manifest.read() if hasattr(manifest, "read") else manifest
    try:
        return module.read(), json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(code="manifest_invalid", message="the manifest is not JSON") from None


class MyListingViewSet(TenantScopedViewSet):
    serializer_class = ListingOut
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "create": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "versions": Role.VIEWER,
        "upload": Role.ADMIN,
        "stats": Role.VIEWER,
    }

    def safely_get_queryset(self) -> QuerySet[Listing]:
        return Listing.objects.order_by("-created_at")

    @extend_schema(summary="Your listings (any state) with their revenue, newest first; pages: limit, before",
                   tags=TAG, parameters=PAGE_PARAMS, responses=MyListingOut(many=True))  # fmt: skip
    def list(self, request: Request) -> Response:
        rows, _ = _page(request, self.get_queryset().order_by("-pk"), lambda qs, pk: qs.filter(pk__lt=pk))
        assert self.principal.tenant_id is not None
        revenue = selectors.listings_revenue(self.principal.tenant_id, [row.pk for row in rows])
        return Response(MyListingOut(rows, many=True, context={"revenue": revenue}).data)

    @extend_schema(summary="One of your listings", tags=TAG)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ListingOut(self.get_object()).data)

    @extend_schema(summary="Create a listing (publisher profile must be enabled)", tags=TAG, request=ListingIn,
                   responses={201: ListingOut})  # fmt: skip
    def create(self, request: Request) -> Response:
        assert self.principal.tenant_id is not None
        row = services.listing_create(tenant_id=self.principal.tenant_id, data=_body(request))
        return Response(ListingOut(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Change a listing's text, tags, markets, risk level or price", tags=TAG,
                   request=ListingIn(partial=True), responses=ListingOut)  # fmt: skip
    def partial_update(self, request: Request, pk: str) -> Response:
        return Response(ListingOut(services.listing_update(self.get_object(), _body(request))).data)

    @extend_schema(summary="The listing's versions, highest first; pages: limit, before (a version id)", tags=TAG,
                   parameters=PAGE_PARAMS, responses=VersionOut(many=True))  # fmt: skip
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str) -> Response:
        rows = ListingVersion.objects.filter(listing=self.get_object()).defer("upload").order_by("-semver_key")

        def after(qs: QuerySet[ListingVersion], version_id: int) -> QuerySet[ListingVersion]:
            last = qs.filter(pk=version_id).values_list("semver_key", flat=True).first()
            return qs.none() if last is None else qs.filter(semver_key__lt=last)

        page, _ = _page(request, rows, after)
        return Response(VersionOut(page, many=True).data)

    @extend_schema(
        summary="Upload a version: multipart module (.wasm) + manifest (JSON) + version (semver) "
        "[+ changelog]; 202, validated and backtested in the background, then reviewed by staff",
        tags=TAG,
        request={"multipart/form-data": VersionUploadIn},
        responses={202: VersionOut},
    )
    @versions.mapping.post
    def upload(self, request: Request, pk: str) -> Response:
        listing = self.get_object()
        wasm, manifest = _read_upload(request)
        assert self.principal.tenant_id is not None
        row = services.version_upload(
            tenant_id=self.principal.tenant_id,
            listing=listing,
            version=request.data.get("version"),
            changelog=request.data.get("changelog", ""),
            wasm=wasm,
            manifest=manifest,
        )
        return Response(VersionOut(row).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The listing's subscribers by status and its revenue from paid invoices (gross and your share)",
        tags=TAG,
        responses=ListingStatsOut,
    )
    @action(detail=True, methods=["get"])
    def stats(self, request: Request, pk: str) -> Response:
        from backend.billing import services as billing

        return Response({**selectors.listing_stats(self.get_object()), "billing_enabled": billing.enabled()})


class MyVersionViewSet(TenantScopedViewSet):
    serializer_class = VersionOut
    roles = {"list": Role.VIEWER, "retrieve": Role.VIEWER, "yank": Role.ADMIN}

    def safely_get_queryset(self) -> QuerySet[ListingVersion]:
        return ListingVersion.objects.defer("upload").order_by("-created_at")

    @extend_schema(summary="All your versions, newest first", tags=TAG)
    def list(self, request: Request) -> Response:
        return Response(VersionOut(self.get_queryset(), many=True).data)

    @extend_schema(summary="One of your versions: status, validation report, platform backtest", tags=TAG)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(VersionOut(self.get_object()).data)

    @extend_schema(
        summary="Yank a published version: deployments running it are paused (version_yanked)", tags=TAG, request=None
    )
    @action(detail=True, methods=["post"])
    def yank(self, request: Request, pk: str) -> Response:
        return Response(VersionOut(services.version_yank(self.get_object())).data)


PAGE_SIZE = 24
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
BROWSE_PARAMETERS = [
    OpenApiParameter("q", str, description="words in the name or summary, or a tag (at most 100 characters)"),
    OpenApiParameter("category", str, description="exactly this category"),
    OpenApiParameter("tag", str, description="listings with this tag"),
    OpenApiParameter("market", str, description='listings for this market, "exchange:SYMBOL"'),
    OpenApiParameter("interval", str, enum=list(INTERVALS), description="listings for this bar interval"),
    OpenApiParameter("risk_level", str, enum=list(RiskLevel.values)),
    OpenApiParameter("free", bool, description="true: free listings only; false: paid ones only"),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS), description="order (default newest)"),
    OpenApiParameter("page", int, description=f"1-based page (default 1, at most {MAX_PAGE})"),
    OpenApiParameter("page_size", int, description=f"listings per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE})"),
    OpenApiParameter(
        "X-Total-Count", int, OpenApiParameter.HEADER, response=True, description="listings matching the filters"
    ),
]


def _browse(request: Request) -> tuple[selectors.Browse, int, int]:
    """The catalogue query, validated: a bad value answers 400 with a code naming it, never a guess."""
    params = request.query_params

    def text(name: str, max_len: int) -> str:
        value = str(params.get(name, "")).strip()
        if len(value) > max_len:
            raise services.bad(f"invalid_{name}", f"{name} is longer than {max_len} characters", field=name)
        return value

    def choice(name: str, allowed: list[str] | tuple[str, ...], default: str = "") -> str:
        value = text(name, 32) or default
        if value and value not in allowed:
            raise services.bad(f"invalid_{name}", f"{name} must be one of {', '.join(allowed)}", field=name)
        return value

    def number(name: str, default: int, hi: int) -> int:
        raw = text(name, 12)
        if not raw:
            return default
        if not raw.isdigit() or not 1 <= int(raw) <= hi:
            raise services.bad(f"invalid_{name}", f"{name} must be a whole number 1..{hi}", field=name)
        return int(raw)

    free = text("free", 5).lower()
    if free and free not in BOOLEANS:
        raise services.bad("invalid_free", "free must be true or false", field="free")
    browse = selectors.Browse(
        q=text("q", 100),
        category=text("category", 32),
        tag=text("tag", 32),
        market=text("market", 64),
        interval=choice("interval", INTERVALS),
        risk_level=choice("risk_level", RiskLevel.values),
        free=BOOLEANS[free] if free else None,
        sort=choice("sort", list(selectors.SORTS), "newest"),
    )
    return browse, number("page", 1, MAX_PAGE), number("page_size", PAGE_SIZE, MAX_PAGE_SIZE)


class PublicListingsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Browse published listings: search, filters, sort, pages",
        description="Filters combine (AND). Pages are numbered: `page` and `page_size`; `X-Total-Count` is the "
        "number of matching listings and the `Link` header (rel=next) gives the next page while there is one. "
        "A bad value answers 400 with invalid_<param> (invalid_sort, invalid_interval, invalid_page, ...).",
        tags=TAG,
        parameters=BROWSE_PARAMETERS,
        responses=PublicListingOut(many=True),
    )
    def get(self, request: Request) -> Response:
        browse, page, page_size = _browse(request)
        qs = selectors.public_listings(browse)
        total = qs.count()
        start = (page - 1) * page_size
        response = Response(PublicListingOut(qs[start : start + page_size], many=True).data)
        response["X-Total-Count"] = str(total)
        if start + page_size < total:
            query = request.query_params.copy()
            query["page"] = str(page + 1)
            response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        return response


class PublicFacetsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="What the catalogue can be filtered by: categories, tags, markets, intervals and risk levels of "
        "published listings, each with its count, and how many are free or paid",
        tags=TAG,
        responses=FacetsOut,
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.public_facets())


class PublicListingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A published listing with its versions, verified track record and latest reviews",
        description="`description_html` is the Markdown description rendered and sanitized (allow-list) by the "
        "server. `track_record` is computed by the platform: `in_sample` is the platform backtest of the latest "
        "version (hypothetical), `out_of_sample` the live paper record of its reference deployment.",
        tags=TAG,
        responses={200: ListingDetailOut, 404: OpenApiResponse(description="not_found")},
    )
    def get(self, request: Request, slug: str) -> Response:
        listing = selectors.public_listing(slug)
        if listing is None:
            raise ApiError(code="not_found", message="no such listing", status_code=404)
        return Response(
            {
                **PublicListingOut(listing).data,
                "versions": PublicVersionOut(selectors.public_versions(listing), many=True).data,
                "track_record": selectors.track_record(listing),
                "reviews": ReviewOut(selectors.public_reviews(listing, 20), many=True).data,
            }
        )


class SubscriptionViewSet(TenantScopedViewSet):
    serializer_class = SubscriptionOut
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "create": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "cancel": Role.ADMIN,
    }

    def safely_get_queryset(self) -> QuerySet[Subscription]:
        return Subscription.objects.select_related("listing", "pinned_version").order_by("-created_at")

    @extend_schema(summary="Your marketplace subscriptions", tags=TAG)
    def list(self, request: Request) -> Response:
        return Response(SubscriptionOut(self.get_queryset(), many=True).data)

    @extend_schema(summary="One subscription", tags=TAG)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(SubscriptionOut(self.get_object()).data)

    @extend_schema(
        summary="Subscribe: {listing: slug, follow_latest: true | false + version}. Free: active at once "
        "(201). Paid: a Stripe Checkout Session (201 with checkout_url); 503 billing_disabled "
        "without Stripe (staff grant it in the admin)",
        tags=TAG,
        request=SubscribeIn,
        responses={201: SubscribeOut},
    )
    def create(self, request: Request) -> Response:
        from backend.billing import services as billing

        data = _body(request)
        assert self.principal.tenant_id is not None
        listing = services.public_listing(data.get("listing"))
        if not listing.is_free and not billing.enabled():
            raise ApiError(
                code="billing_disabled",
                message="paid listings need billing, which is disabled here; ask staff to grant the listing",
                status_code=503,
            )
        sub = services.subscription_prepare(
            tenant_id=self.principal.tenant_id,
            listing=listing,
            follow_latest=data.get("follow_latest", True),
            pinned=data.get("version"),
        )
        body = dict(SubscriptionOut(sub).data)
        if not listing.is_free:
            body["checkout_url"] = billing.listing_checkout(sub, user_email=getattr(request.user, "email", ""))
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Follow the latest version or pin a published one: {follow_latest: true | false + version}. "
        "New deployments and starts are checked against it; running deployments keep their version",
        tags=TAG,
        request=SubscriptionPinIn,
        responses=SubscriptionOut,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = _body(request)
        sub = self.get_object()
        services.subscription_set_pin(sub, follow_latest=data.get("follow_latest"), pinned=data.get("version"))
        return Response(SubscriptionOut(sub).data)

    @extend_schema(
        summary="Cancel (free listings at once; paid ones through the Customer Portal: 409 use_portal)",
        tags=TAG,
        request=None,
        responses=SubscriptionOut,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        sub = self.get_object()
        if sub.stripe_subscription_id:
            raise ApiError(
                code="use_portal", message="cancel a paid subscription in the billing portal", status_code=409
            )
        services.subscription_set_status(sub.pk, "cancelled")
        sub.refresh_from_db()
        return Response(SubscriptionOut(sub).data)


class ReviewViewSet(TenantScopedViewSet):
    serializer_class = ReviewOut
    roles = {"list": Role.VIEWER, "retrieve": Role.VIEWER, "create": Role.TRADER, "partial_update": Role.TRADER}

    def safely_get_queryset(self) -> QuerySet[Review]:
        return Review.objects.select_related("listing").order_by("-updated_at")

    @extend_schema(summary="Your tenant's reviews", tags=TAG)
    def list(self, request: Request) -> Response:
        return Response(ReviewOut(self.get_queryset(), many=True).data)

    @extend_schema(summary="One review", tags=TAG)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ReviewOut(self.get_object()).data)

    @extend_schema(
        summary="Review a listing you subscribe to: {listing, stars 1-5, text}; again = edit (200)",
        tags=TAG,
        request=ReviewIn,
        responses={201: ReviewOut, 200: ReviewOut},
    )
    def create(self, request: Request) -> Response:
        data = _body(request)
        assert self.principal.tenant_id is not None
        review, created = services.review_upsert(
            tenant_id=self.principal.tenant_id,
            listing=services.public_listing(data.get("listing")),
            stars=data.get("stars"),
            text=data.get("text", ""),
        )
        return Response(ReviewOut(review).data, status=201 if created else 200)

    @extend_schema(summary="Edit your review: {stars, text}", tags=TAG, request=ReviewEditIn, responses=ReviewOut)
    def partial_update(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        data = _body(request)
        review, _ = services.review_upsert(
            tenant_id=review.tenant_id,
            listing=review.listing,
            stars=data.get("stars", review.stars),
            text=data.get("text", review.text),
        )
        return Response(ReviewOut(review).data)
