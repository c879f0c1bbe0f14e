"""`gilde createsuperuser`: Django's command, with the same options (and `--noinput` reading
DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_PASSWORD, DJANGO_SUPERUSER_EMAIL), which also makes
the new login an administrator member, so the first login lands on the dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser

from gilde.accounts.services import administrator_member_ensure


class Command(createsuperuser.Command):
    help = "Create a superuser who is also Gilde's administrator member."

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"]
        superusers = (
            get_user_model()._default_manager.db_manager(database).filter(is_superuser=True)
        )
        before = set(superusers.values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in superusers.exclude(pk__in=before):
            member = administrator_member_ensure(user=user)
            if options["verbosity"] >= 1:
                self.stdout.write(f"{member.name} is an administrator member of Gilde.")
