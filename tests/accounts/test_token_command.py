"""gilde token create prints a new API token once; gilde token revoke ends it; bad input is one
clear line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from gilde.accounts import team
from gilde.accounts.models import ApiToken


def _token(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def test_create_prints_a_token_that_works_once_shown(colleague):
    raw = _token("create", "--member", "collega", "--name", "nachtelijke export")
    assert raw.startswith("gld_")
    token = ApiToken.objects.get(member=colleague)
    assert token.name == "nachtelijke export" and token.key_hash != raw
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/persons")
    assert response.status_code == 200


def test_revoke_by_member_and_name_ends_the_token(colleague):
    raw = _token("create", "--member", "collega", "--name", "script")
    assert "revoked" in _token("revoke", "--member", "collega", "--name", "script")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/persons").status_code == 401


def test_revoke_by_prefix_ends_the_token(colleague):
    raw = _token("create", "--member", "collega")
    _token("revoke", "--prefix", raw[:8])
    assert not ApiToken.objects.active().exists()


def test_revoke_by_a_longer_prefix_matches_its_first_eight_characters(colleague):
    raw = _token("create", "--member", "collega")
    _token("revoke", "--prefix", raw[:12])
    assert not ApiToken.objects.active().exists()


def test_revoke_by_the_whole_token_ends_that_token_only(colleague, monkeypatch):
    raw = _token("create", "--member", "collega", "--name", "een")
    _same_start_as(raw, monkeypatch)
    _token("create", "--member", "collega", "--name", "twee")
    _token("revoke", "--prefix", raw)
    assert list(ApiToken.objects.active().values_list("name", flat=True)) == ["twee"]


def test_a_mistyped_whole_token_revokes_nothing(colleague):
    raw = _token("create", "--member", "collega")
    with pytest.raises(CommandError, match="No active token"):
        _token("revoke", "--prefix", raw[:-1] + ("A" if raw[-1] != "A" else "B"))
    assert ApiToken.objects.active().count() == 1


def test_a_longer_prefix_that_two_tokens_share_is_refused(colleague, monkeypatch):
    raw = _token("create", "--member", "collega", "--name", "een")
    _same_start_as(raw, monkeypatch)
    _token("create", "--member", "collega", "--name", "twee")
    with pytest.raises(CommandError, match="2 active tokens start with"):
        _token("revoke", "--prefix", raw[:12])
    assert ApiToken.objects.active().count() == 2


def _same_start_as(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next token share raw's stored first characters, as one in millions does."""
    real = ApiToken.generate

    def alike() -> tuple[str, str, str]:
        other, _prefix, digest = real()
        return other, raw[:8], digest

    monkeypatch.setattr(ApiToken, "generate", alike)


def test_a_name_longer_than_a_hundred_characters_is_one_clear_line(colleague):
    with pytest.raises(CommandError) as refused:
        _token("create", "--member", "collega", "--name", "x" * 101)
    message = str(refused.value)
    assert message.startswith("--name:") and "100" in message and "\n" not in message
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "--member", "niemand"), "No member with login name 'niemand'."),
        (("revoke", "--member", "collega", "--name", "onbekend"), "No active token"),
        (("revoke", "--prefix", "gld_"), "at least the first 8 characters"),
        (("revoke",), "Give --prefix, or --member with --name."),
        (("revoke", "--prefix", "gld_abcd", "--member", "collega"), "not both"),
    ],
)
def test_bad_input_is_one_clear_line(colleague, args, message):
    with pytest.raises(CommandError) as refused:
        _token(*args)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_no_token_is_made_for_a_deactivated_colleague(manager, colleague):
    team.member_deactivate(actor=manager, member=colleague)
    with pytest.raises(CommandError, match="deactivated"):
        _token("create", "--member", "collega")
