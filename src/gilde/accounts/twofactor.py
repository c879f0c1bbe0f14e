"""Two-factor authentication with an authenticator app (TOTP, RFC 6238, through django-otp).

A member turns it on by scanning a QR code and typing one code; from then on a login asks for a
current code after the password. A setting can require it of network managers and
administrators, who are then sent to set it up before they can do anything else."""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from gilde.accounts.models import Member

DEVICE_NAME = "authenticator"


def two_factor_required(member: Member | None) -> bool:
    """Whether this member may not work without a second factor."""
    return bool(
        member is not None and member.manages_network and settings.GILDE_REQUIRE_2FA_FOR_MANAGERS
    )


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


@transaction.atomic
def totp_setup_device(*, user: AbstractBaseUser) -> TOTPDevice:
    """The not yet confirmed device whose secret the setup page shows (made once, then reused,
    so reloading the page does not invalidate a code already scanned)."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Turn the device on when the code typed from the app is right; older devices go."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def totp_remove(*, user: AbstractBaseUser) -> None:
    TOTPDevice.objects.filter(user_id=user.pk).delete()


def verify(device: TOTPDevice, token: str) -> bool:
    """Check a code; django-otp throttles a device after failures (each wait doubles)."""
    return bool(device.verify_token(token.strip().replace(" ", "")))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (no outside
    service ever sees the secret)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for apps where the code cannot be scanned."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
