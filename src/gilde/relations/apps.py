from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "gilde.relations"
    verbose_name = _("Relations")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from gilde import visibility
        from gilde.relations.models import Person

        def forget(**kwargs: object) -> None:
            visibility.forget()

        # Who may see whom changes with a person's confidentiality, owner or sharing.
        post_save.connect(forget, sender=Person, weak=False, dispatch_uid="visibility-person")
        post_delete.connect(forget, sender=Person, weak=False, dispatch_uid="visibility-gone")
        m2m_changed.connect(
            forget,
            sender=Person.confidential_members.through,
            weak=False,
            dispatch_uid="visibility-shared",
        )
