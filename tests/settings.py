"""Test settings: Gilde's settings with a fast password hasher and in-memory e-mail."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("GILDE_DATA_DIR", tempfile.mkdtemp(prefix="gilde-test-"))

from gilde.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# A file, not shared-cache memory: background imports write from a thread while the request
# thread reads, which in-memory SQLite answers with "database table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

# Jobs wait on an in-memory queue and run when a test says so (tests.jobs.run_jobs), so a test
# can look at a job's queued state first. The job tests with a real worker choose the database
# (or, under `make test-redis`, GILDE_TASKS_BACKEND's Redis) backend themselves.
if not os.environ.get("GILDE_TASKS_BACKEND"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
# A worker process started by a test reaches the test's database by this name.
if os.environ.get("GILDE_TEST_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["GILDE_TEST_DATABASE_NAME"]  # noqa: F405
# The quarter-hourly read of mailboxes and calendars is off unless a test turns it on, so the
# schedule tests see only the daily jobs they name.
GILDE_AUTOLOG_EVERY_MINUTES = 0
# The member network's public pages are asked far more often from one address in a test run
# than any person would; the tests of their limits set low ones themselves.
GILDE_PUBLIC_PAGE_RATE_LIMIT = 100_000
GILDE_PUBLIC_FORM_SEND_LIMIT = 100_000
