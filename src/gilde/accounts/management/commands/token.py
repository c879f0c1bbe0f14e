"""gilde token create --member USER [--name NAME]: a new API token for a member, printed once.
gilde token revoke (--member USER --name NAME | --prefix PREFIX): revoke tokens; PREFIX is the
token's first 8 or more characters, or the whole token.

For automation and scripts; the token acts with the member's rights."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gilde.accounts import services
from gilde.accounts.models import ApiToken, ApiTokenQuerySet, Member

SHOWN, WHOLE = ApiToken.SHOWN, ApiToken.LENGTH


class Command(BaseCommand):
    help = "Create or revoke a member's API token."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it once")
        create.add_argument("--member", required=True, help="login name of the member")
        create.add_argument("--name", default="", help="what the token is for")
        revoke = actions.add_parser("revoke", help="revoke tokens")
        revoke.add_argument("--member", help="login name of the member (with --name)")
        revoke.add_argument("--name", help="the token's name (with --member)")
        revoke.add_argument(
            "--prefix", help="the token's first 8 or more characters (or all), e.g. gld_AbCd"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            member = self.member(options["member"])
            try:
                _token, raw = services.api_token_create(member=member, name=options["name"] or "")
            except ValidationError as error:
                raise CommandError(_one_line(error)) from error
            self.stdout.write(raw)
            return
        for token in self.tokens_to_revoke(options):
            services.api_token_revoke(member=token.member, token=token)
            self.stdout.write(f"revoked {token.name} ({token.key_prefix}…) of {token.member}")

    def member(self, username: str) -> Member:
        member = Member.objects.select_related("user").filter(user__username=username).first()
        if member is None:
            raise CommandError(f"No member with login name {username!r}.")
        if not member.user.is_active:
            raise CommandError(f"{username!r} is deactivated; reactivate them first.")
        return member

    def tokens_by_prefix(self, prefix: str) -> tuple[ApiTokenQuerySet, str]:
        """Only a token's first characters are stored: a longer prefix is matched on those, and
        a whole token on its hash too, so that a mistyped token revokes nothing."""
        if len(prefix) < SHOWN:
            raise CommandError("Give at least the first 8 characters of the token (gld_…).")
        tokens = ApiToken.objects.active().filter(key_prefix__startswith=prefix[:SHOWN])
        if len(prefix) < WHOLE:
            return tokens, f"starting with {prefix[:SHOWN]!r}"
        whole = f"matching the whole token given ({prefix[:SHOWN]}…)"
        return tokens.matching(prefix), whole

    def tokens_to_revoke(self, options: dict[str, Any]) -> list[ApiToken]:
        prefix, username, name = options.get("prefix"), options.get("member"), options.get("name")
        if prefix and (username or name):
            raise CommandError("Give either --prefix or --member with --name, not both.")
        if prefix:
            tokens, what = self.tokens_by_prefix(prefix)
        elif username and name:
            member = Member.objects.filter(user__username=username).first()
            if member is None:
                raise CommandError(f"No member with login name {username!r}.")
            tokens = ApiToken.objects.active().filter(member=member, name=name)
            what = f"named {name!r} of {username!r}"
        else:
            raise CommandError("Give --prefix, or --member with --name.")
        found = list(tokens.select_related("member__user"))
        if not found:
            raise CommandError(f"No active token {what}.")
        if prefix and len(found) > 1:
            raise CommandError(
                f"{len(found)} active tokens start with {prefix[:SHOWN]!r}; "
                "revoke by --member and --name, or give the whole token."
            )
        return found


def _one_line(error: ValidationError) -> str:
    """A service's refusal as one line, each field named as its option."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return " ".join(
        f"--{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
        for field, messages in error.message_dict.items()
    )
