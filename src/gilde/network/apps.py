from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _changed(sender: Any, **kwargs: Any) -> None:
    from .loader import network_changed

    network_changed()


class NetworkConfig(AppConfig):
    name = "gilde.network"
    verbose_name = _("Network intelligence")

    def ready(self) -> None:
        # The graph is made of these: a change marks it stale (a cache entry, no query), and
        # the next request queues its rebuild. Whichever service or import made the change.
        from django.db.models.signals import post_delete, post_save

        from gilde.accounts.models import Member
        from gilde.relations.models import Affiliation, Organisation, OrganisationLink, Person, Tie

        for model in (Tie, Affiliation, OrganisationLink, Person, Organisation, Member):
            for signal in (post_save, post_delete):
                signal.connect(
                    _changed, sender=model, dispatch_uid=f"network-{model.__name__}-{signal}"
                )
