"""Login: argon2 hashes, lockout after repeated failures, TOTP second factor for staff."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bro import settings as bro_settings
from bro.core.models import AuditEntry, User
from bro.core.roles import Role
from tests.conftest import PASSWORD


def test_passwords_are_hashed_with_argon2_by_default(db, settings):
    settings.PASSWORD_HASHERS = bro_settings.PASSWORD_HASHERS  # the production list, not the test shortcut
    user = User.objects.create_user("argon", password="a long enough passphrase")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("a long enough passphrase")


def test_login_page_logs_in_and_records_the_login(client, users):
    response = client.post("/login/", {"username": "harstad", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login", username="harstad").exists()


def test_repeated_failed_logins_lock_the_username(client, users, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        response = client.post("/login/", {"username": "harstad", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post("/login/", {"username": "harstad", "password": PASSWORD})
    assert response.status_code == 429
    assert "Vent 15 minutter" in response.content.decode()  # AXES_COOLOFF_TIME 0.25 h, in bokmål
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login_failed", summary="harstad").count() >= limit - 1
    # Another user is not locked out by someone else's failures.
    assert client.post("/login/", {"username": "imdi", "password": PASSWORD}).status_code == 302


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_who_must_use_two_factor_are_sent_to_set_it_up_and_then_let_in(client, chain, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; not under test here
    chain.harstad.requires_two_factor = True
    chain.harstad.save()
    client.post("/login/", {"username": "harstad", "password": PASSWORD})
    response = client.get("/persons/")
    assert response.status_code == 302 and response["Location"] == "/two-factor/"
    assert client.get("/api/persons").status_code == 403

    page = client.get("/two-factor/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    assert not device.confirmed
    wrong = client.post("/two-factor/", {"token": "000000" if _token(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and client.get("/persons/").status_code == 302

    assert client.post("/two-factor/", {"token": _token(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/persons/").status_code == 200


def test_a_user_with_a_device_must_verify_at_every_login(client, users):
    user = users[Role.PROGRAMME_ADVISER]
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post("/login/", {"username": "programme", "password": PASSWORD})
    assert client.get("/persons/")["Location"] == "/two-factor/"
    assert b"<svg" not in client.get("/two-factor/").content  # verifying, not setting up again
    client.post("/two-factor/", {"token": _token(device)})
    assert client.get("/persons/").status_code == 200


@pytest.mark.parametrize("path", ["/persons/", "/admin/organisations/", "/api/persons"])
def test_anonymous_users_are_asked_to_log_in(client, db, path):
    response = client.get(path)
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert response["Location"].startswith("/login/")
