from django.contrib.admin.apps import AdminConfig


class AnttAdminConfig(AdminConfig):
    """Django's admin with the site of config.security: staff plus an administrator role."""

    default_site = "config.security.AnttAdminSite"
