"""Accounts and signing in, without I/O: the account, password hashes and rules, the lockout.

The store (`store.accounts`) keeps the accounts and applies these rules; the pages and the
command line word the codes of the errors here (`SignInError`, `PasswordError`,
`AccountError`). A password is never logged, returned, stored in clear, written into an audit
entry or put into an exception: only its argon2id hash is kept, and `Account` does not even
hold the hash.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from access.permissions import ROLES, Actor
from settings import BEIJING, AuthSettings

ACCOUNT_ROLES = tuple(r for r in ROLES if r != "public")
"""The roles an account may have: public is whoever has not signed in, with no account."""

STATUSES = ("active", "disabled")
"""An account's status; a locked account is active, locked for a while (`Account.locked`)."""

LOGIN = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
"""A login: 1 to 64 lower-case letters, digits and ``. _ @ -``, starting with a letter or digit."""

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_NAME_LENGTH = 64
MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 256
"""Longer passwords are refused (and never hashed: a hash of megabytes costs the server)."""

SAMPLE_MARK = "示例"
"""What marks a sample account's display name."""

SAMPLE_PASSWORD_PREFIX = "sample-"
"""Every sample password starts with it; a real account may not have such a password."""

_HASHER = PasswordHasher()  # argon2id with argon2-cffi's defaults (RFC 9106, low memory)


@dataclass(frozen=True)
class Account:
    """Who may sign in, as the store keeps it (without the password's hash).

    Attributes
    ----------
    login
        The name one signs in with (`LOGIN`), the account's id.
    display_name
        The name written into the audit log and decisions.
    role, unit
        One of `ACCOUNT_ROLES`; the responsible unit (a steward's is required and limits them).
    status
        "active" or "disabled" (`STATUSES`).
    sample
        A sample account, seeded with the sample data with a published password.
    must_change_password
        The password was set by an administrator (or reset): signing in asks for a new one.
    failed_attempts, locked_until
        Failed sign-ins in a row; the end of the lock they caused (None: not locked).
    last_sign_in
        When the account last signed in (UTC).
    oidc_subject, email
        How the organisation's OpenID Connect provider names the person.
    version
        Bumped by every change of the account (not by the bookkeeping of signing in).
    has_password
        Whether the account has a password (an account of the provider may have none).
    """

    login: str
    display_name: str
    role: str
    unit: str | None = None
    status: str = "active"
    sample: bool = False
    must_change_password: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    last_sign_in: datetime | None = None
    oidc_subject: str | None = None
    email: str | None = None
    version: int = 1
    has_password: bool = False

    @property
    def active(self) -> bool:
        """Not disabled (a locked account is active)."""
        return self.status == "active"

    def locked(self, now: datetime) -> bool:
        """Whether failed sign-ins have locked the account at ``now``."""
        return self.locked_until is not None and now < self.locked_until

    def state(self, now: datetime) -> str:
        """The state to show (admin page, `cli.py users list`): disabled, locked or active."""
        if not self.active:
            return "disabled"
        return "locked" if self.locked(now) else "active"

    def actor(self) -> Actor:
        """The actor the store is called with once this account has signed in."""
        return Actor(self.display_name, role=self.role, unit=self.unit, account=self.login)


# --- errors: codes and parameters, worded by the pages and the command line --------------------


class SignInError(ValueError):
    """A sign-in refused. ``code`` says why, ``params`` what the message needs.

    Codes: "unknown_or_wrong" (no such login or a wrong password: never which of the two),
    "locked" (``until``: the end of the lock), "disabled" (the password was right, the account
    is disabled), "must_change" (the password was right and must be changed first: the page
    asks for a new one, `store.accounts.AccountStore.change_password`).
    """

    CODES = ("unknown_or_wrong", "locked", "disabled", "must_change")

    def __init__(self, code: str, **params: Any) -> None:
        if code not in self.CODES:
            raise KeyError(f"unknown sign-in error {code!r}")
        self.code, self.params = code, dict(params)
        if "until" in params:
            params["until"] = params["until"].astimezone(BEIJING)
        super().__init__(_SIGN_IN_TEXT[code].format(**params))


_SIGN_IN_TEXT = {
    "unknown_or_wrong": "the login or the password is wrong",
    "locked": "the account is locked after too many failed sign-ins, until "
    "{until:%Y-%m-%d %H:%M} (UTC+8)",
    "disabled": "the account is disabled: ask an administrator",
    "must_change": "the password of {login!r} must be changed before signing in",
}


class PasswordError(ValueError):
    """A new password breaks the rules. ``codes`` lists each rule broken, ``params`` the limits.

    Codes: "too_short" (``min_length``), "too_long" (``max_length``), "control" (a control
    character), "like_login" (it is, or holds, the login or the display name), "sample" (a
    sample password, for a real account), "same" (the password it replaces).
    """

    CODES = ("too_short", "too_long", "control", "like_login", "sample", "same")

    def __init__(
        self, codes: Iterable[str], *, min_length: int, max_length: int = MAX_PASSWORD_LENGTH
    ) -> None:
        self.codes = tuple(codes)
        self.params = {"min_length": min_length, "max_length": max_length}
        super().__init__(
            "the password is refused: "
            + "; ".join(_PASSWORD_TEXT[c].format(**self.params) for c in self.codes)
        )


_PASSWORD_TEXT = {
    "too_short": "it is shorter than {min_length} characters",
    "too_long": "it is longer than {max_length} characters",
    "control": "it holds a control character",
    "like_login": "it is or holds the login or the name",
    "sample": f"sample passwords (starting {SAMPLE_PASSWORD_PREFIX!r}) are published",
    "same": "it is the password it replaces",
}


class AccountError(ValueError):
    """An account change that cannot be made; nothing was written. ``code`` and ``params``.

    Codes: "unknown" (``login``), "exists" (``login``), "login" (``login``: not a valid login),
    "display_name", "email" (not valid), "email_taken", "subject_taken" (``login`` of the account
    that has it), "role" (``role``: not an account's role), "unit" (``unit``: not configured),
    "steward_unit" (a steward without a unit), "last_admin" (``login``: the last active admin
    would be disabled, demoted or removed), "stale" (``login``, ``expected``, ``current``
    versions).
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, dict(params)
        super().__init__(_ACCOUNT_TEXT[code].format(**params))


_ACCOUNT_TEXT = {
    "unknown": "there is no account {login!r}",
    "exists": "an account {login!r} exists already",
    "login": "{login!r} is not a login: 1 to 64 lower-case letters, digits and . _ @ -, "
    "starting with a letter or digit",
    "display_name": "the name must be 1 to 64 printable characters",
    "email": "{email!r} is not an e-mail address",
    "email_taken": "the e-mail address {email!r} is the account {login!r}'s already",
    "subject_taken": "that identity of the provider is the account {login!r}'s already",
    "role": "{role!r} is not an account's role; one of: " + ", ".join(ACCOUNT_ROLES),
    "unit": "{unit!r} is not a configured unit; one of: {units}",
    "steward_unit": "a steward needs a unit: the responsible unit whose records they keep",
    "last_admin": "{login!r} is the last active admin: add or enable another admin first",
    "stale": "the account {login!r} was changed since it was shown (version {expected}, now "
    "{current}): reload it",
}


# --- passwords ----------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (``$argon2id$…``, with its own random salt)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; False for no hash or one not argon2's."""
    if not stored_hash or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with other parameters than today's (then hash it again)."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def dummy_hash() -> str:
    """A hash no password is checked against in earnest: verifying an unknown login's
    password against it takes as long as a real check, so the time does not tell."""
    return hash_password(secrets.token_urlsafe(16))


_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0, 1: read out without mistakes


def generate_password(min_length: int = 16) -> str:
    """A random password of groups of four readable characters (``xxxx-xxxx-xxxx-xxxx``),
    at least ``min_length`` long and at least 16 random characters (79 bits)."""
    groups = max(4, -(-(min_length + 1) // 5))  # g groups make 5g - 1 characters
    return "-".join("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(groups))


def password_problems(
    password: str,
    *,
    login: str,
    display_name: str = "",
    min_length: int,
    sample: bool = False,
    old: str | None = None,
) -> tuple[str, ...]:
    """The rules a new password breaks (`PasswordError` codes), none when it may be used.

    Parameters
    ----------
    password
        The new password.
    login, display_name
        The account's: the password may not be or hold either (ignoring case; names shorter
        than four characters are not looked for inside it).
    min_length
        ``auth.min_password_length``.
    sample
        A sample account, whose password is published anyway; a real account may not use a
        sample password.
    old
        The password it replaces, when known (changing one's own).
    """
    problems = []
    if len(password) < min_length:
        problems.append("too_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append("too_long")
    if any(unicodedata.category(ch) == "Cc" for ch in password):
        problems.append("control")
    folded = password.casefold()
    names = [n.casefold() for n in (login, display_name) if n]
    if any(folded == n or (len(n) >= 4 and n in folded) for n in names):
        problems.append("like_login")
    if not sample and folded.startswith(SAMPLE_PASSWORD_PREFIX):
        problems.append("sample")
    if old is not None and password == old:
        problems.append("same")
    return tuple(problems)


def check_password(password: str, **rules: Any) -> None:
    """Raise `PasswordError` unless `password_problems` finds none (same arguments)."""
    problems = password_problems(password, **rules)
    if problems:
        raise PasswordError(problems, min_length=rules["min_length"])


# --- what an account may be given ---------------------------------------------------------------


def normal_login(login: str) -> str:
    """A login as stored: without surrounding spaces, in lower case."""
    return login.strip().lower()


def check_login(login: str) -> None:
    """Raise `AccountError` ("login") unless ``login`` is a valid, normalised login."""
    if not LOGIN.fullmatch(login):
        raise AccountError("login", login=login[:80])


def check_display_name(name: str) -> None:
    """Raise `AccountError` ("display_name") unless 1 to 64 printable characters."""
    if not 0 < len(name) <= MAX_NAME_LENGTH or not name.isprintable():
        raise AccountError("display_name")


def normal_email(email: str | None) -> str | None:
    """An e-mail address as stored (lower case), None for none; `AccountError` if not one."""
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL.fullmatch(email):
        raise AccountError("email", email=email[:80])
    return email


def check_role(role: str, unit: str | None, units: Iterable[str]) -> None:
    """Raise `AccountError` for a role no account has, an unknown unit, a steward without one."""
    units = tuple(units)
    if role not in ACCOUNT_ROLES:
        raise AccountError("role", role=role)
    if unit is not None and unit not in units:
        raise AccountError("unit", unit=unit, units=", ".join(units))
    if role == "steward" and unit is None:
        raise AccountError("steward_unit")


# --- signing in: the lockout rule -----------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """What a sign-in attempt does to an account (`attempt`).

    Attributes
    ----------
    account
        The account as it is to be stored after the attempt (None: no such account, nothing
        to store or audit).
    event
        For the audit log: "signed_in", "verified" (the password was right, to change it),
        "must_change", "failed", "locked" (this failure locked it), "refused_locked",
        "refused_disabled", "unknown".
    error
        The refusal to raise once the account is stored, or None.
    """

    account: Account | None
    event: str
    error: SignInError | None


def attempt(
    account: Account | None,
    password_ok: bool,
    *,
    now: datetime,
    auth: AuthSettings,
    changing: bool = False,
) -> Attempt:
    """Apply the lockout rule to one sign-in attempt.

    A lock whose time is over is lifted first (the count starts again). While locked, every
    attempt is refused, a correct password too, and the lock is not extended. A wrong password
    counts a failure; the ``auth.lockout_attempts``-th in a row locks the account for
    ``auth.lockout_minutes``. A correct password clears the count; it is still refused for a
    disabled account (said only then, so that a wrong password never tells whether an account
    exists or is disabled) and, unless ``changing`` (the password is being changed), for an
    account that must change its password.

    Parameters
    ----------
    account
        The stored account, or None for an unknown login.
    password_ok
        Whether the password matched the account's hash.
    now
        The time of the attempt (timezone-aware).
    changing
        The attempt proves the current password in order to change it.
    """
    if account is None:
        return Attempt(None, "unknown", SignInError("unknown_or_wrong"))
    if account.locked_until is not None and not account.locked(now):
        account = replace(account, failed_attempts=0, locked_until=None)
    if account.locked(now):
        return Attempt(account, "refused_locked", SignInError("locked", until=account.locked_until))
    if not password_ok:
        failed = account.failed_attempts + 1
        if failed >= auth.lockout_attempts:
            until = now + timedelta(minutes=auth.lockout_minutes)
            locked = replace(account, failed_attempts=failed, locked_until=until)
            return Attempt(locked, "locked", SignInError("locked", until=until))
        return Attempt(
            replace(account, failed_attempts=failed), "failed", SignInError("unknown_or_wrong")
        )
    account = replace(account, failed_attempts=0, locked_until=None)
    if not account.active:
        return Attempt(account, "refused_disabled", SignInError("disabled"))
    if changing:
        return Attempt(account, "verified", None)
    if account.must_change_password:
        return Attempt(account, "must_change", SignInError("must_change", login=account.login))
    return Attempt(replace(account, last_sign_in=now), "signed_in", None)


def session_expired(last_active: datetime, now: datetime, idle_minutes: int) -> bool:
    """Whether a session last active at ``last_active`` has been idle too long at ``now``."""
    return now - last_active >= timedelta(minutes=idle_minutes)


# --- sample accounts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleAccount:
    """An account of the sample, with its published password (see the README)."""

    login: str
    display_name: str
    role: str
    unit: str | None
    password: str


def sample_accounts(units: Mapping[str, str]) -> tuple[SampleAccount, ...]:
    """The sample's accounts: an admin, a planner, a leader and a steward per unit.

    ``units`` maps each configured unit's id to its Chinese name. Logins start with
    ``sample-``; each password is ``sample-`` and the role (and the unit): ``sample-admin-pw``,
    ``sample-steward-xinhong-pw``.
    """
    people = [
        ("sample-admin", "示例管理员", "admin", None),
        ("sample-planner", "示例规划人员", "planner", None),
        ("sample-leader", "示例领导", "leader", None),
        *[
            (f"sample-steward-{uid}", f"示例数据维护人员（{name}）", "steward", uid)
            for uid, name in units.items()
        ],
    ]
    return tuple(
        SampleAccount(login, name, role, unit, f"{login}-pw") for login, name, role, unit in people
    )
