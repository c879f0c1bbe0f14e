from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gilde.accounts"
    verbose_name = _("Members and access")

    def ready(self) -> None:
        from gilde.accounts import signals  # noqa: F401
