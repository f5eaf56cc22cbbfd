from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """The admin console, on a site that lets staff see every tenant (see admin_site)."""

    default_site = "backend.tenancy.admin_site.StaffAdminSite"
