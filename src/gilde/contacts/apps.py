from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "gilde.contacts"
    verbose_name = _("Contact moments")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from gilde import visibility
        from gilde.contacts.models import ContactMoment

        def forget(**kwargs: object) -> None:
            visibility.forget()

        # Who took part in a moment decides whether it counts for a member who may not see one
        # of them (the weekly counts read those moments once per request).
        m2m_changed.connect(
            forget,
            sender=ContactMoment.persons.through,
            weak=False,
            dispatch_uid="visibility-moment-participants",
        )
