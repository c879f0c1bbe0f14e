"""Real servers for the sync tests, started by the tests as ordinary processes on free ports:
Dovecot (Debian's dovecot-imapd) for IMAP, with a temporary configuration and maildirs, and
Radicale (from PyPI) for CalDAV. Each is stopped by its process id at the end."""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "geheim-wachtwoord"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

# What both Dovecot configurations share; formatted later with root and port (hence {{ }}).
_DOVECOT_BASE = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = @MECHANISMS@
auth_verbose = yes
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
mail_uid = nobody
mail_gid = nogroup
default_login_user = dovenull
default_internal_user = dovecot
passdb {{
@PASSDB@
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def _dovecot_conf(mechanisms: str, passdb: str, rest: str = "") -> str:
    return _DOVECOT_BASE.replace("@MECHANISMS@", mechanisms).replace("@PASSDB@", passdb) + rest


DOVECOT_CONF = _dovecot_conf(
    "plain login",
    "  driver = static\n  args = password={password}",
    """namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
""",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped: {log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start in time")


@dataclass
class Dovecot:
    root: Path
    port: int

    @property
    def url(self) -> str:
        return f"imap://127.0.0.1:{self.port}"

    def add_user(self, address: str) -> None:
        """Every user name logs in with PASSWORD (a static password database); a mailbox
        appears at the first login."""

    def client(self, address: str, password: str = PASSWORD) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(address, password)
        return client


DOVECOT_OAUTH_CONF = _dovecot_conf(
    "xoauth2 oauthbearer",
    "  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {root}/oauth2.conf.ext",
)

DOVECOT_OAUTH_EXT = """
introspection_mode = post
introspection_url = {introspect}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


def dovecot_start(root: Path, conf: str) -> tuple[subprocess.Popen[bytes], int]:
    """Dovecot with the configuration (formatted with root and port), on a free port."""
    for name in ("mail", "home"):
        (root / name).mkdir(exist_ok=True)
        (root / name).chmod(0o1777)
    root.chmod(0o755)
    port = free_port()
    (root / "dovecot.conf").write_text(conf.format(root=root, port=port))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    _wait_for(port, process, root / "dovecot.log")
    return process, port


def dovecot_required() -> None:
    if not os.path.exists(DOVECOT):
        # Required under CI (.ci/run installs it); elsewhere skipped with the reason.
        if os.environ.get("CI") == "true":
            pytest.fail("Dovecot is required under CI: apt-get install -y dovecot-imapd")
        pytest.skip("no Dovecot: apt-get install -y dovecot-imapd")


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    dovecot_required()
    # Dovecot's own processes (its auth and mail users) must read the directory: pytest's
    # temporary directories are the test user's alone.
    root = Path(tempfile.mkdtemp(prefix="gilde-dovecot-"))
    process, port = dovecot_start(root, DOVECOT_CONF.replace("{password}", PASSWORD))
    try:
        yield Dovecot(root, port)
    finally:
        process.terminate()
        process.wait(10)
        if not os.environ.get("GILDE_KEEP_DOVECOT"):
            shutil.rmtree(root, ignore_errors=True)


@dataclass
class Radicale:
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def calendar(self, user: str, name: str = "werk") -> object:
        import caldav

        client = caldav.DAVClient(url=self.url, username=user, password=PASSWORD)
        return client.principal().make_calendar(name=name)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    root = tmp_path_factory.mktemp("radicale")
    users = root / "users"
    # A test that counts what a run read has an account of its own (agenda1, agenda2, ...).
    names = ("jeroen", "sanne", *(f"agenda{n}" for n in range(1, 21)))
    users.write_text("".join(f"{u}:{PASSWORD}\n" for u in names))
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(root / "data"),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(users),
            "--auth-htpasswd-encryption",
            "plain",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(port, process, root / "none")
        yield Radicale(port)
    finally:
        process.terminate()
        process.wait(10)
