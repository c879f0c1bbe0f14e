from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gilde.core"
    verbose_name = _("Gilde")

    def ready(self) -> None:
        from gilde.core import lookups  # noqa: F401 - registers the id_in lookup
        from gilde.core.checks import frontend_files_check  # noqa: F401 - registers the check
