"""Password reset by e-mail with Django's own views: styled, in the member's language, and the
same answer for a known and an unknown address (no user enumeration)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from gilde.accounts import team

NEW_PASSWORD = "fietsen langs de Vecht in mei"


def _ask(email: str):  # type: ignore[no-untyped-def]
    return Client().post(reverse("accounts:password_reset"), {"email": email})


def test_the_login_page_links_to_forgot_password(db):
    page = Client().get(reverse("login")).content.decode()
    assert reverse("accounts:password_reset") in page and "Wachtwoord vergeten?" in page


def test_the_reset_page_looks_like_the_rest_of_gilde(db):
    response = Client().get(reverse("accounts:password_reset"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="narrow-card"' in page and "pico" in page


def test_a_known_and_an_unknown_address_get_the_same_answer(colleague):
    colleague.user.email = "sanne@example.nl"
    colleague.user.save()
    known, unknown = _ask("sanne@example.nl"), _ask("niemand@example.nl")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sanne@example.nl"]
    done = Client().get(known.url)
    assert done.status_code == 200 and 'id="reset-sent"' in done.content.decode()


def test_the_mail_is_in_the_members_language_and_its_link_sets_a_new_password(colleague):
    colleague.user.email, colleague.language = "sanne@example.nl", "en"
    colleague.user.save()
    colleague.save()
    _ask("sanne@example.nl")
    message = mail.outbox[0]
    assert message.subject == "A new password for Gilde"
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body)
    assert link, message.body
    client = Client()
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert saved.status_code == 302 and saved.url == reverse("accounts:password_reset_complete")
    login = Client().post(reverse("login"), {"username": "collega", "password": NEW_PASSWORD})
    assert login.status_code == 302 and login.url == reverse("dashboard")


def test_a_used_or_broken_reset_link_says_so(colleague):
    response = Client().get(
        reverse("accounts:password_reset_confirm", args=["MQ", "abc-def"]), follow=True
    )
    assert response.status_code == 200 and not response.context["validlink"]
    assert "Deze link werkt niet" in response.content.decode()


def test_a_deactivated_colleague_gets_no_reset_mail(manager, colleague):
    colleague.user.email = "sanne@example.nl"
    colleague.user.save()
    team.member_deactivate(actor=manager, member=colleague)
    response = _ask("sanne@example.nl")
    assert response.status_code == 302 and mail.outbox == []
