"""What follows an edit elsewhere: a recorded job at another organisation is a new job (an
occasion for a message), and a contact moment with a signal goes to its subscribers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from gilde.contacts.models import ContactMoment
from gilde.relations.models import Affiliation


@receiver(pre_save, sender=Affiliation, dispatch_uid="strategy-affiliation-before")
def _remember_organisation(sender: Any, instance: Affiliation, raw: bool = False, **_: Any) -> None:
    if raw or instance.pk is None:
        instance._organisation_before = None  # type: ignore[attr-defined]
        return
    instance._organisation_before = (  # type: ignore[attr-defined]
        Affiliation.objects.filter(pk=instance.pk).values_list("organisation_id", flat=True).first()
    )


@receiver(post_save, sender=Affiliation, dispatch_uid="strategy-new-job")
def _new_job(
    sender: Any, instance: Affiliation, created: bool, raw: bool = False, **_: Any
) -> None:
    from gilde.strategy.occasions import new_job_on_affiliation

    if raw:
        return
    before = getattr(instance, "_organisation_before", None)
    changed = before is not None and before != instance.organisation_id
    if created or changed:
        new_job_on_affiliation(instance, organisation_changed=changed)


@receiver(post_save, sender=ContactMoment, dispatch_uid="strategy-signal-route")
def _signal(sender: Any, instance: ContactMoment, raw: bool = False, **_: Any) -> None:
    """Routed once the moment's participants are saved too: after the transaction commits."""
    if raw or not (instance.signals or "").strip():
        return
    from gilde.strategy.signals import signal_route

    moment_id = instance.pk
    transaction.on_commit(lambda: signal_route(moment_id=moment_id))
