"""Who may do what: roles from the region's single sign-on or from local accounts, decided without Streamlit.

Viewing needs no rights unless CIVSAM_REQUIRE_LOGIN says so; importing, undoing, merging, removing demo data,
seeing people's names and reading the audit log need the coordinator role. Identity comes from one source:

- "oidc": Streamlit's st.login, when `[auth]` is set in .streamlit/secrets.toml. Coordinators are listed by
  e-mail (`[civsam] coordinators = [...]`) or by a group or app role the identity token carries
  (`[civsam] coordinator_groups = [...]`, matched against the `groups` and `roles` claims).
- "accounts": local accounts, `[civsam.accounts.NAME]` with `password_hash` (argon2, made by
  `python -m civsam account hash`) and `role = "coordinator"` (anything else is a viewer).
- "open": neither is set up, as on a laptop demo. Nobody can sign in, so everyone may edit and the pages say so.
- "closed": coordinators are listed but neither is set up (a mistyped `[auth]`): nobody may edit until it is
  fixed, rather than everyone.

Sign-in attempts are counted per name typed and client address, known names and unknown ones alike, so the
answers tell no names apart and a stranger's guesses never hold up the account's owner elsewhere. Each attempt is
claimed, as a failure, before its password is checked: after five failures each next attempt waits, from 30
seconds doubling to 15 minutes, however many arrive at once. At most two passwords are checked at once, since
each check takes argon2's 64 MiB.

A local sign-in ends in a signed, HttpOnly cookie, never in the session: the sign-in form hands out a ticket,
the browser fetches the cookie with it from civsam's own address (civsam.ui.server) together with a secret of its
own that no address shows, and Streamlit reads the cookie into st.user on every connection, where each run checks
it. The ticket is good once, for a minute. A session id alone (in every upload address) signs nobody in:
Streamlit resumes a session only for a connection with the same cookie.

The UI layer (civsam.ui.account) reads st.secrets and st.user and passes them here as plain mappings.
"""

import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from secrets import token_urlsafe

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

OIDC, ACCOUNTS, OPEN, CLOSED = "oidc", "accounts", "open", "closed"
COORDINATOR, VIEWER = "coordinator", "viewer"
ANONYMOUS = "webb"  # the audit log's `who` for a page used without signing in
COORDINATOR_ACTIONS = frozenset({"import", "undo", "merge", "clear_demo", "see_names", "see_audit"})
ACTIONS = COORDINATOR_ACTIONS | {"view"}
# Hashing parameters are argon2-cffi's defaults (argon2id, RFC 9106's low-memory profile); a stored hash carries
# its own parameters, so raising them later still verifies old hashes.
HASHER = PasswordHasher()
FREE_ATTEMPTS = 5
FIRST_WAIT_SECONDS, LONGEST_WAIT_SECONDS = 30, 15 * 60
# (name typed, client address) -> failures, time of the last. At most this many pairs are remembered, the least
# recently tried forgotten first: about 30 MB, and an attacker must fail this many argon2 checks to clear one.
REMEMBERED_ATTEMPTS = 100_000
_failures: dict[tuple[str, str], tuple[int, float]] = {}
_failures_lock = threading.Lock()
SIGN_IN_SECONDS = 12 * 60 * 60  # a local sign-in lasts a working day, or until the browser is closed
TICKET_SECONDS = 60
ACCOUNT_CLAIM, UNTIL_CLAIM = "civsam_account", "civsam_until"  # what the cookie says, beside Streamlit's own
_tickets: dict[str, "Ticket"] = {}
_tickets_lock = threading.Lock()
# An unknown name is checked against this hash, made with HASHER's parameters, so it takes as long as a known
# name; no password gives it.
UNKNOWN_USER_HASH = "$argon2id$v=19$m=65536,t=3,p=4$5E9bt1Y4mzRNaMESZryVfw$6eSoDXvJeHBPOYdirnbT6clpJppgKUHTu/W9ofwygVo"
_checking = threading.BoundedSemaphore(2)


@dataclass(frozen=True)
class User:
    name: str  # the e-mail or account name, as the audit log records it
    role: str


@dataclass(frozen=True)
class Access:
    """What this session may do: the configured source, who is signed in (None: nobody), and the setting."""

    source: str
    user: User | None = None
    require_login: bool = False

    def may(self, action: str) -> bool:
        return allowed(action, self.user, self.source, self.require_login)

    @property
    def who(self) -> str:
        return self.user.name if self.user else ANONYMOUS


def allowed(action: str, user: User | None, source: str, require_login: bool = False) -> bool:
    """Whether `user` may do `action` ("view", "import", "undo", "merge", "clear_demo", "see_names", "see_audit")."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if source == OPEN:
        # Nobody can sign in, so a required sign-in shuts everyone out rather than letting everyone in.
        return not require_login
    if source == CLOSED:
        return action == "view" and not require_login
    if action == "view":
        return user is not None or not require_login
    return user is not None and user.role == COORDINATOR


def source(secrets: Mapping) -> str:
    """Which source of identity the secrets set up: OIDC first, then local accounts; else open, or closed when
    coordinators are listed all the same."""
    if secrets.get("auth"):
        return OIDC
    if _civsam(secrets).get("accounts"):
        return ACCOUNTS
    if _civsam(secrets).get("coordinators") or _civsam(secrets).get("coordinator_groups"):
        return CLOSED
    return OPEN


def oidc_provider(secrets: Mapping) -> str | None:
    """The provider to pass to st.login: None when `[auth]` holds the client itself, else its one named
    provider section (`[auth.microsoft]`)."""
    settings = secrets.get("auth") or {}
    if "client_id" in settings:
        return None
    return next((name for name, value in settings.items() if isinstance(value, Mapping)), None)


def oidc_user(claims: Mapping, secrets: Mapping) -> User | None:
    """The user st.user describes (its claims as a mapping), or None when nobody is logged in."""
    if not claims.get("is_logged_in"):
        return None
    name = claims.get("email") or claims.get("preferred_username") or claims.get("name") or claims.get("sub")
    config = _civsam(secrets)
    coordinators = {address.casefold() for address in config.get("coordinators", [])}
    groups = set(config.get("coordinator_groups", []))
    memberships = set(_as_list(claims.get("groups"))) | set(_as_list(claims.get("roles")))
    # an address the provider says it has not verified could be anyone's; groups and app roles are safer still
    email = str(claims.get("email") or "").casefold() if claims.get("email_verified") is not False else ""
    coordinator = (bool(email) and email in coordinators) or bool(groups & memberships)
    return User(str(name), COORDINATOR if coordinator else VIEWER)


def account_user(secrets: Mapping, username: str, password: str, client: str, now: float) -> User | None:
    """The local account `username` (any case) if `password` is its password, else None. `client` is the address
    the attempt comes from. Raises SignInPaused while too many attempts from there at that name have failed."""
    accounts = _civsam(secrets).get("accounts", {})
    wanted = username.strip().casefold()
    name = next((name for name in accounts if name.casefold() == wanted), None)
    attempt = (wanted, client)
    _claim(attempt, now)
    with _checking:
        right = verify_password(str(accounts[name].get("password_hash", "")) if name else UNKNOWN_USER_HASH, password)
    if right:
        with _failures_lock:
            _failures.pop(attempt, None)
    return account(secrets, name) if right and name else None


class SignInPaused(Exception):
    """Too many failed sign-ins: `seconds` to wait."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def _claim(attempt: tuple[str, str], now: float) -> None:
    """Count `attempt` as failed before its password is checked, so that attempts arriving together cannot all
    pass the wait; a right password clears the count afterwards. Raises SignInPaused while it must wait."""
    with _failures_lock:
        failures, last = _failures.pop(attempt, (0, 0.0))
        if wait := _seconds_to_wait(failures, last, now):
            _failures[attempt] = (failures, last)
            raise SignInPaused(wait)
        _failures[attempt] = (failures + 1, now)  # a dict keeps insertion order: the least recent come first
        while len(_failures) > REMEMBERED_ATTEMPTS:
            del _failures[next(iter(_failures))]


def _seconds_to_wait(failures: int, last: float, now: float) -> int:
    """How long the next attempt must wait after `failures`, the last at `last`: nothing for the first
    FREE_ATTEMPTS."""
    if failures < FREE_ATTEMPTS:
        return 0
    pause = min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_ATTEMPTS), LONGEST_WAIT_SECONDS)
    return max(0, round(last + pause - now))


@dataclass(frozen=True)
class Ticket:
    """A sign-in that a browser may turn into its cookie once."""

    account: str
    browser: str  # a digest of the browser's own secret (Streamlit's XSRF token), which no address carries
    origin: str  # scheme://host the browser uses, which Streamlit compares with the cookie's
    back: str  # the page to return to: a path and its query
    expires: float


def issue_ticket(account_name: str, browser: str, origin: str, back: str, now: float) -> str:
    """A one-time code for the browser `browser` to fetch the sign-in cookie of `account_name` with."""
    code = token_urlsafe(32)
    with _tickets_lock:
        for old in [old for old, ticket in _tickets.items() if ticket.expires <= now]:
            del _tickets[old]
        _tickets[code] = Ticket(account_name, browser, origin, back, now + TICKET_SECONDS)
    return code


def redeem_ticket(code: str, browser: str, now: float) -> Ticket | None:
    """The ticket `code` names, once, if the same browser brings it in time; else None."""
    with _tickets_lock:
        ticket = _tickets.pop(code, None)
    if ticket is None or ticket.expires <= now or not hmac.compare_digest(ticket.browser, browser):
        return None
    return ticket


def session_claims(ticket: Ticket, now: float) -> dict:
    """What the sign-in cookie holds: Streamlit's `origin` and `is_logged_in`, the account and until when."""
    return {"origin": ticket.origin, "is_logged_in": True, ACCOUNT_CLAIM: ticket.account,
            UNTIL_CLAIM: now + SIGN_IN_SECONDS}


def signed_in_account(claims: Mapping, secrets: Mapping, now: float) -> User | None:
    """The local account st.user's `claims` (read from the signed cookie) sign in, with its role as the secrets
    say now; None when nobody is signed in, the sign-in has run out or the account is gone."""
    if not claims.get("is_logged_in") or not isinstance(claims.get(UNTIL_CLAIM), int | float):
        return None
    if claims[UNTIL_CLAIM] <= now:
        return None
    return account(secrets, str(claims.get(ACCOUNT_CLAIM)))


def account(secrets: Mapping, name: str) -> User | None:
    """The local account signed in as `name`, with its role as the secrets say now; None once it is removed."""
    settings = _civsam(secrets).get("accounts", {}).get(name)
    if settings is None:
        return None
    return User(name, COORDINATOR if settings.get("role") == COORDINATOR else VIEWER)


def hash_password(password: str) -> str:
    """The argon2id hash to store as an account's password_hash."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches; a malformed or empty hash matches nothing."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _civsam(secrets: Mapping) -> Mapping:
    return secrets.get("civsam") or {}


def _as_list(value) -> list:
    """A claim as a list: providers send one group as a string and several as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
