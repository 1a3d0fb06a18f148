"""Sessions in the store: who is signed in, from which browser, until when.

A session starts after a successful sign-in (`SessionStore.sign_in`, or `start_session` with the
account `store.accounts.AccountStore.authenticate` or ``account_for_identity`` returned) and is
known by a random token that only the browser keeps (the page's session state and the
``hq_session`` cookie). The store keeps the token's SHA-256, never the token: a copy of the
table signs nobody in. Each page run resolves the token (`session_account`) to the account as
it is now, so a changed role or unit applies at once; a session unused for ``auth.idle_minutes``
has expired. Sign-out ends the session; disabling an account, resetting its password, changing
its role or unit, removing it and changing one's own password end all its sessions
(`end_sessions`, called by the account changes in the same transaction).

Sessions are bookkeeping, not records: they are not audited (the sign-ins are, by
`store.accounts`) and do not bump the store's revision.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from access.accounts import Account, normal_login, session_expired
from settings import AuthSettings
from store import schema
from store.records import Aggregate, utc

TOUCH_EVERY = timedelta(minutes=1)
"""A session's last use is written at most this often (every page run reads it)."""

END_REASONS = ("signed_out", "idle", "account_changed", "password_changed", "removed")
"""Why a session ended (the ``end_reason`` column)."""


def new_token() -> str:
    """A new session token: 256 random bits, URL-safe text (the cookie's value)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as hex: what the store keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SessionStore(Aggregate):
    """Start, resolve and end sessions (the ``sessions`` table)."""

    auth: AuthSettings

    def sign_in(self, login: str, password: str, *, now: datetime) -> tuple[str, Account]:
        """`authenticate` and start a session: the token (for the browser) and the account.

        Raises `access.accounts.SignInError` as `authenticate` does; no session then.
        """
        account = self.authenticate(login, password, now=now)  # type: ignore[attr-defined]
        return self.start_session(account, now=now), account

    def start_session(self, account: Account, *, now: datetime) -> str:
        """Start a session for ``account`` (just signed in); returns its token.

        Refused (ValueError) for an account that is not active: a session is for someone who
        has just signed in.
        """
        if not account.active:
            raise ValueError(f"the account {account.login!r} is disabled: no session")
        now = _aware(now)
        token = new_token()
        with self.engine.begin() as conn:
            conn.execute(
                schema.sessions.insert().values(
                    token_hash=token_hash(token),
                    login=account.login,
                    created_at=now,
                    last_seen=now,
                )
            )
        return token

    def session_account(self, token: str | None, *, now: datetime) -> Account | None:
        """The account a session token signs in, as it is now; None for no valid session.

        None when the token is unknown or ended, when the session was idle for
        ``auth.idle_minutes`` (it is ended then, "idle"), or when the account is gone or
        disabled. Otherwise the session's last use becomes ``now`` (written at most once per
        `TOUCH_EVERY`), which keeps it alive.
        """
        if not token:
            return None
        now = _aware(now)
        t = schema.sessions
        key = token_hash(token)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t).where(t.c.token_hash == key)).mappings().first()
        if row is None or row["ended_at"] is not None:
            return None
        last_seen = utc(row["last_seen"])
        if session_expired(last_seen, now, self.auth.idle_minutes):
            with self.engine.begin() as conn:
                _end(conn, t.c.token_hash == key, now, "idle")
            return None
        account = self.account(row["login"])  # type: ignore[attr-defined]
        if account is None or not account.active:
            return None
        if now - last_seen >= TOUCH_EVERY:
            with self.engine.begin() as conn:
                conn.execute(
                    t.update()
                    .where(t.c.token_hash == key, t.c.ended_at.is_(None))
                    .values(last_seen=now)
                )
        return account

    def end_session(self, token: str | None, *, now: datetime) -> bool:
        """Sign out: end the session of ``token``; whether there was one to end."""
        if not token:
            return False
        with self.engine.begin() as conn:
            t = schema.sessions
            return _end(conn, t.c.token_hash == token_hash(token), _aware(now), "signed_out") > 0

    def end_sessions(self, login: str, *, now: datetime, reason: str = "account_changed") -> int:
        """End every session of an account (signed out everywhere); how many were open."""
        with self.engine.begin() as conn:
            return end_sessions(conn, normal_login(login), _aware(now), reason)

    def open_sessions(self, login: str, *, now: datetime) -> int:
        """How many sessions of an account are open and not idle at ``now``."""
        t = schema.sessions
        since = _aware(now) - timedelta(minutes=self.auth.idle_minutes)
        q = sa.select(sa.func.count()).where(
            t.c.login == normal_login(login), t.c.ended_at.is_(None), t.c.last_seen > since
        )
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar())


def end_sessions(conn: sa.Connection, login: str, now: datetime, reason: str) -> int:
    """End every open session of ``login`` within the caller's transaction."""
    return _end(conn, schema.sessions.c.login == login, now, reason)


def _end(conn: sa.Connection, where: sa.ColumnElement[bool], now: datetime, reason: str) -> int:
    if reason not in END_REASONS:
        raise ValueError(f"unknown reason {reason!r}; one of {', '.join(END_REASONS)}")
    t = schema.sessions
    done = conn.execute(
        t.update().where(where, t.c.ended_at.is_(None)).values(ended_at=now, end_reason=reason)
    )
    return done.rowcount


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware time (datetime.now(UTC))")
    return now.astimezone(UTC)
