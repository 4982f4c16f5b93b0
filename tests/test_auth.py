"""Who may do what (civsam.auth), without Streamlit: the source of identity, passwords, roles and actions."""

import threading

import pytest

from civsam import auth
from civsam.auth import (
    ACCOUNTS,
    ACTIONS,
    CLOSED,
    COORDINATOR,
    OIDC,
    OPEN,
    VIEWER,
    Access,
    SignInPaused,
    User,
    account,
    account_user,
    allowed,
    hash_password,
    oidc_provider,
    oidc_user,
    source,
    verify_password,
)
from civsam.cli import main

OIDC_CLIENT = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
               "client_id": "civsam", "client_secret": "y",
               "server_metadata_url": "https://login.example/.well-known/openid-configuration"}


NOW = 1_800_000_000.0
HERE, ELSEWHERE = "10.0.0.7", "192.0.2.44"  # the owner's address and a stranger's


@pytest.fixture(autouse=True)
def no_failed_sign_ins(monkeypatch):
    monkeypatch.setattr(auth, "_failures", {})


@pytest.fixture(scope="module")
def accounts():
    return {"civsam": {"accounts": {
        "Anna": {"password_hash": hash_password("rätt lösen"), "role": "coordinator"},
        "olle": {"password_hash": hash_password("olles lösen"), "role": "viewer"},
        "trasig": {"password_hash": "inte en hash", "role": "coordinator"},
    }}}


@pytest.mark.parametrize("secrets, expected", [
    ({}, OPEN),
    ({"civsam": {"coordinators": ["a@region.se"]}}, CLOSED),  # coordinators listed, but no way to sign in
    ({"civsam": {"accounts": {"anna": {"password_hash": "…"}}}}, ACCOUNTS),
    ({"auth": OIDC_CLIENT}, OIDC),
    ({"auth": OIDC_CLIENT, "civsam": {"accounts": {"anna": {"password_hash": "…"}}}}, OIDC),  # single sign-on first
    ({"auth": {}}, OPEN),
])
def test_the_source_of_identity(secrets, expected):
    assert source(secrets) == expected


@pytest.mark.parametrize("auth_section, provider", [
    (OIDC_CLIENT, None), ({"redirect_uri": "…", "cookie_secret": "…", "microsoft": {"client_id": "c"}}, "microsoft"),
])
def test_the_provider_to_log_in_with(auth_section, provider):
    assert oidc_provider({"auth": auth_section}) == provider


def test_a_password_verifies_against_its_hash_only():
    stored = hash_password("hemligt")
    assert stored.startswith("$argon2id$") and "hemligt" not in stored
    assert verify_password(stored, "hemligt")
    assert not verify_password(stored, "Hemligt")
    assert not verify_password("", "hemligt") and not verify_password("inte en hash", "hemligt")


@pytest.mark.parametrize("username, password, expected", [
    ("Anna", "rätt lösen", User("Anna", COORDINATOR)),
    ("  anna ", "rätt lösen", User("Anna", COORDINATOR)),  # any case, spaces around
    ("olle", "olles lösen", User("olle", VIEWER)),
    ("Anna", "fel lösen", None),
    ("okänd", "rätt lösen", None),
    ("trasig", "inte en hash", None),  # a malformed hash lets nobody in
])
def test_a_local_account_signs_in_with_its_password(accounts, username, password, expected):
    assert account_user(accounts, username, password, HERE, NOW) == expected


def test_a_signed_in_account_follows_the_secrets(accounts):
    assert account(accounts, "Anna") == User("Anna", COORDINATOR)
    demoted = {"civsam": {"accounts": {"Anna": {"password_hash": "…"}}}}
    assert account(demoted, "Anna") == User("Anna", VIEWER)  # a role taken away counts at once
    assert account({"civsam": {"accounts": {"olle": {}}}}, "Anna") is None  # so does a removed account


@pytest.mark.parametrize("claims, expected", [
    ({"is_logged_in": True, "email": "Anna@Region.se", "name": "Anna A"}, User("Anna@Region.se", COORDINATOR)),
    ({"is_logged_in": True, "email": "olle@region.se"}, User("olle@region.se", VIEWER)),
    ({"is_logged_in": True, "email": "eva@region.se", "groups": ["g-samordnare", "g-alla"]},
     User("eva@region.se", COORDINATOR)),
    ({"is_logged_in": True, "preferred_username": "eva", "roles": "g-samordnare"}, User("eva", COORDINATOR)),
    ({"is_logged_in": False, "email": "anna@region.se"}, None),
    ({"email": "anna@region.se"}, None),
    ({"is_logged_in": True, "email": "anna@region.se", "email_verified": False}, User("anna@region.se", VIEWER)),
])
def test_the_role_of_a_user_from_single_sign_on(claims, expected):
    secrets = {"auth": OIDC_CLIENT, "civsam": {"coordinators": ["anna@region.se"],
                                               "coordinator_groups": ["g-samordnare"]}}
    assert oidc_user(claims, secrets) == expected


COORDINATOR_USER, VIEWER_USER = User("anna", COORDINATOR), User("olle", VIEWER)


@pytest.mark.parametrize("source_, user, require_login, may_view, may_edit", [
    (OPEN, None, False, True, True),  # a laptop demo: everyone counts as coordinator
    (OPEN, None, True, False, False),  # sign-in required but impossible: nobody gets in
    (ACCOUNTS, None, False, True, False),
    (ACCOUNTS, VIEWER_USER, False, True, False),
    (ACCOUNTS, COORDINATOR_USER, False, True, True),
    (ACCOUNTS, None, True, False, False),
    (ACCOUNTS, VIEWER_USER, True, True, False),
    (OIDC, COORDINATOR_USER, True, True, True),
    (OIDC, None, False, True, False),
    (CLOSED, None, False, True, False),  # coordinators listed without a way to sign in: nobody edits
    (CLOSED, None, True, False, False),
])
def test_whether_an_action_is_allowed(source_, user, require_login, may_view, may_edit):
    assert allowed("view", user, source_, require_login) == may_view
    for action in ACTIONS - {"view"}:
        assert allowed(action, user, source_, require_login) == may_edit, action


def test_after_five_failed_sign_ins_the_next_must_wait_longer_each_time(accounts):
    for _ in range(5):
        assert account_user(accounts, "anna", "gissning", HERE, NOW) is None
    with pytest.raises(SignInPaused) as paused:
        account_user(accounts, "Anna", "rätt lösen", HERE, NOW + 1)  # even the right password waits
    assert paused.value.seconds == 29
    assert account_user(accounts, "anna", "gissning", HERE, NOW + 31) is None
    with pytest.raises(SignInPaused) as paused:
        account_user(accounts, "anna", "rätt lösen", HERE, NOW + 32)
    assert paused.value.seconds == 59  # doubled
    assert account_user(accounts, "olle", "olles lösen", HERE, NOW + 32) == User("olle", VIEWER)  # others go on
    assert account_user(accounts, "anna", "rätt lösen", HERE, NOW + 91) == User("Anna", COORDINATOR)
    assert account_user(accounts, "anna", "gissning", HERE, NOW + 92) is None  # a success starts the count again


def test_attempts_arriving_together_are_held_to_the_five_free_ones(accounts):
    start, answers = threading.Barrier(20), []

    def guess():
        start.wait()
        try:
            answers.append(account_user(accounts, "anna", "gissning", HERE, NOW))
        except SignInPaused:
            answers.append("paused")
    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(None) == 5 and answers.count("paused") == 15


def test_a_stranger_guessing_cannot_lock_the_owner_out(accounts):
    for _ in range(20):
        try:
            account_user(accounts, "anna", "gissning", ELSEWHERE, NOW)
        except SignInPaused:
            pass
    with pytest.raises(SignInPaused):
        account_user(accounts, "anna", "gissning", ELSEWHERE, NOW + 1)
    assert account_user(accounts, "anna", "rätt lösen", HERE, NOW + 1) == User("Anna", COORDINATOR)


def attempt(accounts, name: str, when: float) -> str:
    """What a wrong password for `name` answers: refused, or the wait."""
    try:
        return "refused" if account_user(accounts, name, "gissning", HERE, when) is None else "signed in"
    except SignInPaused as paused:
        return f"wait {paused.seconds}"


def test_known_and_unknown_names_get_the_same_answers(accounts):
    assert [attempt(accounts, name, NOW) for name in ("a", "b", "c", "d", "e", "f")] == ["refused"] * 6
    assert attempt(accounts, "anna", NOW + 1) == attempt(accounts, "okänd", NOW + 1) == "refused"
    for _ in range(5):
        attempt(accounts, "olle", NOW + 2)
        attempt(accounts, "ingen", NOW + 2)
    assert attempt(accounts, "olle", NOW + 3) == attempt(accounts, "ingen", NOW + 3) == "wait 29"


def test_an_unknown_name_is_checked_against_a_hash_as_costly_as_an_accounts():
    assert not auth.HASHER.check_needs_rehash(auth.UNKNOWN_USER_HASH)
    assert not verify_password(auth.UNKNOWN_USER_HASH, "")


def test_only_so_many_attempts_are_remembered(accounts, monkeypatch):
    monkeypatch.setattr(auth, "REMEMBERED_ATTEMPTS", 3)
    for client in ("1", "2", "3", "4"):
        attempt(accounts, "anna", NOW)
        account_user(accounts, "x", "y", client, NOW)
    assert list(auth._failures) == [("x", "3"), ("anna", HERE), ("x", "4")]  # the least recently tried went first


def test_an_unknown_action_is_a_mistake():
    with pytest.raises(ValueError):
        allowed("delete_everything", COORDINATOR_USER, ACCOUNTS)


def test_the_audit_log_names_who_is_signed_in():
    assert Access(ACCOUNTS, COORDINATOR_USER).who == "anna"
    assert Access(ACCOUNTS).who == "webb"


def test_the_command_hashes_a_password_read_without_echo(monkeypatch, capsys):
    typed = iter(["mitt lösen", "mitt lösen"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    assert main(["account", "hash"]) == 0
    assert verify_password(capsys.readouterr().out.strip(), "mitt lösen")


@pytest.mark.parametrize("typed, message", [(["", ""], "tomt"), (["ett", "ett annat"], "inte lika")])
def test_the_command_refuses_an_empty_or_mistyped_password(monkeypatch, capsys, typed, message):
    answers = iter(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["account", "hash"]) == 2
    assert message in capsys.readouterr().err


BROWSER, OTHER_BROWSER = "digest of this browser's secret", "digest of another's"


@pytest.fixture
def no_tickets(monkeypatch):
    monkeypatch.setattr(auth, "_tickets", {})


def test_a_sign_in_ticket_is_good_once_for_the_browser_it_was_issued_to(no_tickets):
    code = auth.issue_ticket("anna", BROWSER, "https://civsam.region.se", "/importera?lang=en", NOW)
    assert auth.redeem_ticket(code, OTHER_BROWSER, NOW + 1) is None  # the address alone, from a log: nothing
    code = auth.issue_ticket("anna", BROWSER, "https://civsam.region.se", "/importera?lang=en", NOW)
    ticket = auth.redeem_ticket(code, BROWSER, NOW + 1)
    assert (ticket.account, ticket.origin, ticket.back) == ("anna", "https://civsam.region.se", "/importera?lang=en")
    assert auth.redeem_ticket(code, BROWSER, NOW + 2) is None  # once


def test_a_sign_in_ticket_runs_out_after_a_minute(no_tickets):
    code = auth.issue_ticket("anna", BROWSER, "", "/", NOW)
    assert auth.redeem_ticket(code, BROWSER, NOW + auth.TICKET_SECONDS) is None
    auth.issue_ticket("olle", BROWSER, "", "/", NOW + auth.TICKET_SECONDS)
    assert len(auth._tickets) == 1  # run-out tickets are forgotten


def claims_for(name: str, signed_in_at: float = NOW) -> dict:
    return auth.session_claims(auth.Ticket(name, BROWSER, "https://civsam.region.se", "/", NOW), signed_in_at)


@pytest.mark.parametrize("claims, now, expected", [
    (claims_for("anna"), NOW + 60, User("anna", COORDINATOR)),
    (claims_for("Olle"), NOW + 60, None),  # the name as the secrets spell it, as the sign-in stored it
    (claims_for("anna"), NOW + auth.SIGN_IN_SECONDS, None),  # a working day later: run out
    (claims_for("borttagen"), NOW + 60, None),  # an account removed from the secrets
    ({**claims_for("anna"), "is_logged_in": False}, NOW + 60, None),
    ({"is_logged_in": True, auth.ACCOUNT_CLAIM: "anna"}, NOW + 60, None),  # no end: not one of ours
    ({}, NOW, None),
])
def test_the_signed_in_account_comes_from_the_cookies_claims(claims, now, expected):
    secrets = {"civsam": {"accounts": {"anna": {"role": "coordinator"}, "olle": {}}}}
    assert auth.signed_in_account(claims, secrets, now) == expected
