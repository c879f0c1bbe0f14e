from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gilde.members"
    verbose_name = _("Member network")

    def ready(self) -> None:
        from django.core.signals import setting_changed
        from django.db.models.signals import post_save

        from gilde.members import network, vocabulary
        from gilde.members.models import Network

        vocabulary.install()
        post_save.connect(network.kind_forget, sender=Network, dispatch_uid="network-kind")
        setting_changed.connect(vocabulary.settings_changed, dispatch_uid="member-vocabulary")
