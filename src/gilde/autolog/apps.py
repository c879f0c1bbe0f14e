from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutologConfig(AppConfig):
    name = "gilde.autolog"
    verbose_name = _("Contact moments from e-mail and calendars")
