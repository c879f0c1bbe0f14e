from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "gilde.strategy"
    verbose_name = _("Network strategy")

    def ready(self) -> None:
        from gilde.strategy import receivers  # noqa: F401  (occasions and signals follow edits)
