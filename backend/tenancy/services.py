"""Every state change of tenancy: one function each, transactional, audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from backend.identity.models import User
from backend.ops.errors import ApiError
from backend.tenancy import apikeys, audit, tiers
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import ApiKey, Invitation, Membership, Role, Scope, Tenant, Tier
from backend.tenancy.principal import Principal


def _audit(
    action: str,
    principal: Principal,
    *,
    tenant_id: int,
    ip: str | None,
    target: str = "",
    data: dict[str, object] | None = None,
) -> None:
    audit.record(
        action,
        tenant_id=tenant_id,
        actor_label=principal.label,
        actor_user_id=principal.user_id,
        actor_api_key_id=principal.api_key_pk,
        ip=ip,
        target=target,
        data=data,
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "tenant"
    slug = base
    while Tenant.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


@transaction.atomic
def tenant_create(*, name: str, owner: User, ip: str | None = None, tier_code: str | None = None) -> Tenant:
    tier = Tier.objects.get(code=tier_code or settings.CONFIG.default_tier)
    tenant = Tenant.objects.create(name=name, slug=_unique_slug(name), tier=tier)
    with tenant_context(tenant.pk):
        Membership.objects.create(tenant=tenant, user=owner, role=Role.OWNER)
    audit.record(
        "tenant.created", tenant_id=tenant.pk, actor_label=owner.email, actor_user_id=owner.pk, ip=ip, target=name
    )
    return tenant


@transaction.atomic
def tenant_rename(*, tenant: Tenant, name: str, principal: Principal, ip: str | None) -> Tenant:
    old = tenant.name
    tenant.name = name
    tenant.save(update_fields=["name"])
    _audit("tenant.renamed", principal, tenant_id=tenant.pk, ip=ip, data={"from": old, "to": name})
    return tenant


@transaction.atomic
def tenant_set_tier(*, tenant: Tenant, tier: Tier, actor_label: str, actor_user_id: int | None, ip: str | None) -> None:
    """Billing (or staff) moves a tenant to another tier; its limits apply at once."""
    old = Tenant.objects.select_for_update().select_related("tier").get(pk=tenant.pk).tier.code
    tenant.tier = tier
    tenant.save(update_fields=["tier"])
    transaction.on_commit(lambda: tiers.forget_tenant(tenant.pk))
    audit.record(
        "tier.changed",
        tenant_id=tenant.pk,
        actor_label=actor_label,
        actor_user_id=actor_user_id,
        ip=ip,
        data={"from": old, "to": tier.code},
    )


def _owners_left(tenant_id: int, excluding: Membership) -> int:
    return Membership.objects.filter(tenant_id=tenant_id, role=Role.OWNER).exclude(pk=excluding.pk).count()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, principal: Principal, ip: str | None) -> Membership:
    if membership.role == Role.OWNER and role != Role.OWNER and not _owners_left(membership.tenant_id, membership):
        raise ApiError(code="last_owner", message="A tenant needs at least one owner.", status_code=409)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _audit(
        "member.role_changed",
        principal,
        tenant_id=membership.tenant_id,
        ip=ip,
        target=membership.user.email,
        data={"from": old, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, principal: Principal, ip: str | None) -> None:
    if membership.role == Role.OWNER and not _owners_left(membership.tenant_id, membership):
        raise ApiError(code="last_owner", message="A tenant needs at least one owner.", status_code=409)
    email = membership.user.email
    membership.delete()
    _audit("member.removed", principal, tenant_id=membership.tenant_id, ip=ip, target=email)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, tenant_id: int, email: str, role: str, principal: Principal, ip: str | None, accept_url_base: str = ""
) -> tuple[Invitation, str]:
    email = email.lower()
    if Membership.objects.filter(user__email=email).exists():
        raise ApiError(code="already_member", message=f"{email} is already a member.", status_code=409)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        tenant_id=tenant_id,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by_id=principal.user_id,
        expires_at=timezone.now() + timedelta(seconds=settings.CONFIG.auth.invitation_ttl_s),
    )
    tenant = Tenant.objects.get(pk=tenant_id)
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You are invited to {tenant.name} on Quant-Trader",
            message=(
                f"You have been invited to join {tenant.name} as {role}.\n\n"
                + (f"Open this link to accept it:\n{accept_url_base}?token={token}\n\n" if accept_url_base else "")
                + f"Or accept it by signing in and using this invitation token:\n{token}\n\n"
                + f"It expires at {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
            ),
            from_email=None,
            recipient_list=[email],
        )
    )
    _audit("invitation.created", principal, tenant_id=tenant_id, ip=ip, target=email, data={"role": role})
    return invitation, token


def _pending_invitation(token: str) -> Invitation | None:
    with dangerously_bypass_rls():
        invitation = (
            Invitation.unscoped.filter(token_hash=_token_hash(token), accepted_at=None).select_related("tenant").first()
        )
    if invitation is None or invitation.expires_at <= timezone.now():
        return None
    return invitation  # type: ignore[no-any-return]


def invitation_preview(*, token: str) -> dict[str, object]:
    """What a pending invitation is for, shown to whoever holds its token (the invitee)."""
    invitation = _pending_invitation(token)
    if invitation is None or not invitation.tenant.is_active:
        raise ApiError(code="invitation_invalid", message="This invitation is not valid.", status_code=404)
    return {
        "tenant_id": invitation.tenant_id,
        "tenant_name": invitation.tenant.name,
        "email": invitation.email,
        "role": invitation.role,
        "expires_at": invitation.expires_at,
    }


@transaction.atomic
def invitation_accept(*, token: str, user: User, ip: str | None) -> Membership:
    with dangerously_bypass_rls():
        invitation = (
            Invitation.unscoped.select_for_update().filter(token_hash=_token_hash(token), accepted_at=None).first()
        )
    if invitation is None or invitation.expires_at <= timezone.now() or invitation.email != user.email.lower():
        # One answer for unknown, expired, used and someone else's: no oracle.
        raise ApiError(code="invitation_invalid", message="This invitation is not valid.", status_code=404)
    with tenant_context(invitation.tenant_id):
        try:
            with transaction.atomic():
                membership = Membership.objects.create(tenant_id=invitation.tenant_id, user=user, role=invitation.role)
        except IntegrityError:
            raise ApiError(code="already_member", message="You are already a member.", status_code=409) from None
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    audit.record(
        "invitation.accepted",
        tenant_id=invitation.tenant_id,
        actor_label=user.email,
        actor_user_id=user.pk,
        ip=ip,
        target=user.email,
        data={"role": invitation.role},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, principal: Principal, ip: str | None) -> None:
    email = invitation.email
    invitation.delete()
    _audit("invitation.revoked", principal, tenant_id=invitation.tenant_id, ip=ip, target=email)


@transaction.atomic
def api_key_create(
    *,
    tenant_id: int,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
    created_by_id: int | None,
    actor_label: str,
    ip: str | None,
) -> tuple[ApiKey, str]:
    """Returns the key row and the full key string, which is never retrievable again."""
    key_id, secret, raw = apikeys.generate()
    key = ApiKey.objects.create(
        tenant_id=tenant_id,
        key_id=key_id,
        name=name,
        secret_hash=apikeys.hash_secret(secret),
        scopes=sorted({Scope(s).value for s in scopes}),
        expires_at=expires_at,
        created_by_id=created_by_id,
    )
    audit.record(
        "api_key.created",
        tenant_id=tenant_id,
        actor_label=actor_label,
        actor_user_id=created_by_id,
        ip=ip,
        target=key.prefix,
        data={"name": name, "scopes": key.scopes},
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor_label: str, actor_user_id: int | None, ip: str | None) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit.record(
            "api_key.revoked",
            tenant_id=api_key.tenant_id,
            actor_label=actor_label,
            actor_user_id=actor_user_id,
            ip=ip,
            target=api_key.prefix,
        )
    # Drop the cached lookup now and again after commit, so no request in any process
    # can re-cache the key as valid in between.
    apikeys.forget(api_key.key_id)
    transaction.on_commit(lambda: apikeys.forget(api_key.key_id))
    return api_key


def api_key_record_use(*, key_pk: int, key_id: str, ip: str | None) -> None:
    if apikeys.should_record_use(key_id):
        with dangerously_bypass_rls():
            ApiKey.unscoped.filter(pk=key_pk).update(last_used_at=timezone.now(), last_used_ip=ip)
