"""Accounts in the store: signing in with the lockout, one's own password, the admins' changes.

The rules are `access.accounts`'s; this part of the repository keeps the ``accounts`` table and
writes an audit entry (table "accounts", the record's login) for every change: each sign-in,
failed or not, each lock, each change an admin makes. The entries' before and after are the
`Account` as a document, which has no password hash: no password and no hash is ever in the
audit log.

Writes serialise in two ways. The admins' changes (and the sample's accounts) take the store's
write lock (`store.records.lock`), as every other write does: the rule that the last active admin
stays holds across accounts. Signing in and changing one's own password touch one account only,
and often: they lock that account's row (an UPDATE that changes nothing, as the transaction's
first statement) and leave the store's revision alone, so that the pages' caches keyed by it
are not thrown away at every sign-in. A password is checked (argon2id, about 0.1 s) before the
transaction, never while holding a lock.

Versions: an account's ``version`` is bumped by every change of the account (role, unit,
status, password, the provider's subject), not by the bookkeeping of signing in (failed
attempts, the lock it causes, the last sign-in), so that an admin's change is not refused
because the person signed in meanwhile.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, fields, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from access.accounts import (
    LOGIN,
    Account,
    AccountError,
    Attempt,
    SampleAccount,
    SignInError,
    attempt,
    check_display_name,
    check_login,
    check_password,
    check_role,
    dummy_hash,
    generate_password,
    hash_password,
    needs_rehash,
    normal_email,
    normal_login,
    verify_password,
)
from access.permissions import SYSTEM, Actor, require
from settings import AuthSettings
from store import schema
from store.records import Aggregate, audit_row, lock, set_meta, utc
from store.sessions import end_sessions

TABLE = "accounts"
"""The accounts' name in the audit log."""

SAMPLE_ACCOUNTS_META = "sample_accounts"
"""Meta key set once the sample's accounts were seeded ("1"), or skipped ("0": the store had
accounts already); they are never seeded again, even after `remove_sample_accounts`."""

VISITOR = Actor("anonymous", role="public")
"""Who a failed sign-in is audited as: whoever typed the login, not its owner."""

_STORED = tuple(f.name for f in fields(Account) if f.name != "has_password")
_NOTES = {
    "signed_in": "sign-in",
    "failed": "sign-in failed",
    "locked": "sign-in failed: locked",
    "refused_locked": "sign-in refused: locked",
    "refused_disabled": "sign-in refused: disabled",
    "must_change": "sign-in refused: must change password",
    "verified": "sign-in to change password",
}
"""The audit note of each sign-in event (`access.accounts.Attempt.event`)."""


class AccountStore(Aggregate):
    """The accounts: signing in, one's own password, and the admins' changes.

    The admins' changes take an ``actor`` that must be allowed "manage.accounts" (an admin,
    or `access.permissions.SYSTEM` for the command line), checked before anything is read or
    written; `access.permissions.PermissionDenied` otherwise. They take ``expected_version``
    (the version shown; None: whatever is stored) and refuse a stale one ("stale").
    """

    auth: AuthSettings

    # --- reading -----------------------------------------------------------------------------

    def accounts(self, *, actor: Actor) -> tuple[Account, ...]:
        """Every account, by login (for the admin page and `cli.py users list`)."""
        require(actor, "manage.accounts")
        t = schema.accounts
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.login)).mappings().all()
        return tuple(_account(r) for r in rows)

    def account(self, login: str) -> Account | None:
        """The account of ``login``, or None: a page reads it again at every run, to sign out
        an account disabled (or changed) since it signed in."""
        with self.engine.connect() as conn:
            return _read(conn, normal_login(login))[0]

    def sample_accounts_active(self) -> bool:
        """Whether any sample account (with its published password) is active: the pages
        show a warning while one is."""
        t = schema.accounts
        q = sa.select(t.c.login).where(t.c.sample.is_(True), t.c.status == "active").limit(1)
        with self.engine.connect() as conn:
            return conn.execute(q).first() is not None

    # --- signing in ----------------------------------------------------------------------------

    def authenticate(self, login: str, password: str, *, now: datetime) -> Account:
        """Sign in with a login and password; returns the account (`Account.actor` acts for it).

        Applies `access.accounts.attempt`: a failure is counted, the
        ``auth.lockout_attempts``-th in a row locks the account for ``auth.lockout_minutes``,
        a lock refuses even the correct password, success clears the count and records the
        sign-in (a hash made with older parameters is made again). Every attempt on an
        existing account is audited (failures as "anonymous"); an unknown login writes
        nothing (what was typed may be a password) but takes as long to refuse.

        Raises
        ------
        access.accounts.SignInError
            "unknown_or_wrong", "locked" (``until``), "disabled", "must_change" (sign in
            through `change_password`).
        """
        now = _aware(now)
        login = normal_login(login)
        account, stored = self._credentials(login)
        ok = _verify(stored, password)
        if account is None:  # nothing to count or audit
            raise attempt(None, ok, now=now, auth=self.auth).error
        new_hash = hash_password(password) if ok and stored and needs_rehash(stored) else None
        with self.engine.begin() as conn:
            _hold(conn, login)
            account, current = _read(conn, login)
            if current != stored:  # the password changed meanwhile: check it again
                ok, new_hash = _verify(current, password), None
            done = attempt(account, ok, now=now, auth=self.auth)
            if done.account is not None:
                extra = {"password_hash": new_hash} if new_hash and not done.error else {}
                _write(conn, account, done.account, _who(done), _NOTES[done.event], now, extra)
        if done.error is not None:
            raise done.error
        return done.account

    def change_password(self, login: str, old: str, new: str, *, now: datetime) -> Account:
        """Change one's own password, proving the current one; returns the account.

        The current password counts as a sign-in attempt (a wrong one as a failure, towards
        the lock), so that this is no way around the lockout. The new password must keep the
        rules (`access.accounts.password_problems`, not the old one). Clears
        ``must_change_password`` and ends every session of the account (`store.sessions`):
        sign in with the new password afterwards.

        Raises
        ------
        access.accounts.SignInError
            As `authenticate` ("must_change" aside: this is how it is done).
        access.accounts.PasswordError
            The new password breaks a rule; nothing changed but the count of failures.
        """
        now = _aware(now)
        login = normal_login(login)
        account, stored = self._credentials(login)
        ok = _verify(stored, old)
        problems = None if account is None else self._password_problems(account, new, old)
        new_hash = hash_password(new) if ok and problems is None else None
        with self.engine.begin() as conn:
            _hold(conn, login)
            account, current = _read(conn, login)
            if current != stored:
                ok = _verify(current, old)
            done = attempt(account, ok, now=now, auth=self.auth, changing=True)
            if done.account is None:
                raise done.error
            error: Exception | None = done.error
            if error is None:
                error = self._password_problems(done.account, new, old)
            if error is not None:
                _write(conn, account, done.account, _who(done), _NOTES[done.event], now, {})
            else:
                changed = replace(
                    done.account,
                    must_change_password=False,
                    has_password=True,
                    version=account.version + 1,
                )
                extra = {
                    "password_hash": new_hash or hash_password(new),
                    "password_changed_at": now,
                }
                _write(conn, account, changed, changed.actor(), "password changed", now, extra)
                end_sessions(conn, login, now, "password_changed")
        if error is not None:
            raise error
        return changed

    def account_for_identity(
        self, subject: str, email: str | None = None, *, now: datetime | None = None
    ) -> Account | None:
        """The account of a person the organisation's OpenID Connect provider signed in.

        Found by the provider's ``subject``; else by ``email`` (pass it only when the provider
        says it is verified), which binds the subject to that account (audited) if it has
        none yet. None for a person with no account (the page signs them in as public and
        tells them to ask an administrator). With ``now`` the sign-in is recorded.

        Raises
        ------
        access.accounts.SignInError
            "disabled": the account is disabled.
        """
        subject = subject.strip()
        if not subject:
            raise ValueError("the provider's subject is empty")
        try:
            email = normal_email(email)
        except AccountError:
            email = None
        t = schema.accounts
        with self.engine.connect() as conn:
            found = _find_identity(conn, subject, email)
        if found is None:
            return None
        bind = found.oidc_subject is None
        if not (bind or now is not None):
            if not found.active:
                raise SignInError("disabled")
            return found
        at = _aware(now) if now is not None else datetime.now(UTC)
        with self.engine.begin() as conn:
            _hold(conn, found.login)
            account = _read(conn, found.login)[0]
            if account is None or account.oidc_subject not in (None, subject):
                return None
            after = account
            if account.oidc_subject is None:
                if conn.execute(sa.select(t.c.login).where(t.c.oidc_subject == subject)).first():
                    return None
                after = replace(account, oidc_subject=subject, version=account.version + 1)
                _write(conn, account, after, after.actor(), "provider identity bound", at, {})
            if now is not None and after.active:
                signed = replace(after, last_sign_in=at)
                _write(conn, after, signed, signed.actor(), "sign-in (provider)", at, {})
                after = signed
        if not after.active:
            raise SignInError("disabled")
        return after

    # --- the admins' changes --------------------------------------------------------------------

    def add_account(
        self,
        login: str,
        *,
        display_name: str,
        role: str,
        actor: Actor,
        unit: str | None = None,
        email: str | None = None,
        oidc_subject: str | None = None,
        password: str | None = None,
        must_change_password: bool = True,
        now: datetime | None = None,
    ) -> tuple[Account, str | None]:
        """Add an account; returns it and the password made for it, if one was (shown once).

        Parameters
        ----------
        login, display_name, role, unit
            A valid login (stored in lower case), 1 to 64 printable characters, one of
            `access.accounts.ACCOUNT_ROLES`, a configured unit (a steward needs one).
        actor
            An admin, or `access.permissions.SYSTEM`.
        email, oidc_subject
            How the organisation's provider names the person (each unique among accounts).
        password
            The first password (it must keep the rules). None: in ``auth.mode`` "local", a
            random one is made and returned; in "oidc" the account has none.
        must_change_password
            The person must change the password when signing in first (a password someone
            else chose or saw).
        """
        require(actor, "manage.accounts")
        login = normal_login(login)
        check_login(login)
        display_name = display_name.strip()
        check_display_name(display_name)
        unit = (unit or "").strip() or None
        check_role(role, unit, self.units)
        email = normal_email(email)
        subject = (oidc_subject or "").strip() or None
        made = None
        if password is None and self.auth.mode == "local":
            password = made = generate_password(self.auth.min_password_length)
        account = Account(
            login,
            display_name,
            role,
            unit,
            must_change_password=must_change_password and password is not None,
            oidc_subject=subject,
            email=email,
            has_password=password is not None,
        )
        extra: dict[str, Any] = {}
        if password is not None:
            self._check_new_password(account, password)
            extra = {"password_hash": hash_password(password), "password_changed_at": None}
        at = _aware(now) if now is not None else datetime.now(UTC)
        with self.engine.begin() as conn:
            lock(conn)
            if _read(conn, login)[0] is not None:
                raise AccountError("exists", login=login)
            _refuse_taken(conn, login, email, subject)
            if password is not None:
                extra["password_changed_at"] = at
            _write(conn, None, account, actor, "account added", at, {**extra, "created_at": at})
        return account, made

    def disable(self, login: str, *, actor: Actor, expected_version: int | None = None) -> Account:
        """Disable an account: it can no longer sign in (refused "disabled") and its sessions
        end. Not the last active admin ("last_admin")."""
        return self._change(
            login,
            actor,
            expected_version,
            "disabled",
            lambda a: replace(a, status="disabled"),
            end="account_changed",
        )

    def enable(self, login: str, *, actor: Actor, expected_version: int | None = None) -> Account:
        """Enable a disabled account again."""
        return self._change(
            login, actor, expected_version, "enabled", lambda a: replace(a, status="active")
        )

    def unlock(self, login: str, *, actor: Actor, expected_version: int | None = None) -> Account:
        """Lift a lock and clear the count of failed sign-ins."""
        return self._change(
            login,
            actor,
            expected_version,
            "unlocked",
            lambda a: replace(a, failed_attempts=0, locked_until=None),
        )

    def set_role(
        self,
        login: str,
        role: str,
        unit: str | None = None,
        *,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Account:
        """Give an account a role and unit (a steward needs a configured unit; ``unit`` None
        clears it); a change ends its sessions. Not away from the last active admin
        ("last_admin")."""
        unit = (unit or "").strip() or None
        check_role(role, unit, self.units)
        return self._change(
            login,
            actor,
            expected_version,
            "role set",
            lambda a: replace(a, role=role, unit=unit),
            end="account_changed",
        )

    def reset_password(
        self,
        login: str,
        *,
        actor: Actor,
        expected_version: int | None = None,
        now: datetime | None = None,
    ) -> str:
        """Give an account a new random password, returned once; it must be changed at the
        next sign-in. Also lifts a lock and ends the account's sessions."""
        require(actor, "manage.accounts")
        password = generate_password(self.auth.min_password_length)
        at = _aware(now) if now is not None else datetime.now(UTC)
        extra = {"password_hash": hash_password(password), "password_changed_at": at}
        self._change(
            login,
            actor,
            expected_version,
            "password reset",
            lambda a: replace(
                a,
                must_change_password=True,
                failed_attempts=0,
                locked_until=None,
                has_password=True,
            ),
            extra=extra,
            at=at,
            end="password_changed",
        )
        return password

    def remove_sample_accounts(self, *, actor: Actor) -> tuple[str, ...]:
        """Delete every sample account (each deletion audited); returns their logins.

        Their sessions end. Refused ("last_admin") when that would leave no active admin: add
        a real one first.
        """
        require(actor, "manage.accounts")
        t = schema.accounts
        at = datetime.now(UTC)
        with self.engine.begin() as conn:
            lock(conn)
            rows = conn.execute(sa.select(t).where(t.c.sample.is_(True)).order_by(t.c.login))
            samples = [_account(r) for r in rows.mappings()]
            admins = [a for a in samples if a.role == "admin" and a.active]
            if admins and not _active_admins(conn, besides=[a.login for a in samples]):
                raise AccountError("last_admin", login=admins[0].login)
            change_set = uuid.uuid4().hex
            for a in samples:
                _write(conn, a, None, actor, "sample account removed", at, {}, change_set)
                end_sessions(conn, a.login, at, "removed")
        return tuple(a.login for a in samples)

    def seed_sample_accounts(self, samples: Sequence[SampleAccount]) -> bool:
        """Add the sample's accounts, with their published passwords, once per store.

        Only to a store with no accounts whose sample accounts were never seeded (the meta
        key `SAMPLE_ACCOUNTS_META`): returns False, adding none, otherwise. Audited as the
        system.
        """
        m = schema.meta
        with self.engine.connect() as conn:
            q = sa.select(m.c.value).where(m.c.key == SAMPLE_ACCOUNTS_META)
            if conn.execute(q).scalar() is not None:
                return False
        hashes = [hash_password(s.password) for s in samples]
        at = datetime.now(UTC)
        with self.engine.begin() as conn:
            lock(conn)
            if conn.execute(q).scalar() is not None:
                return False
            if conn.execute(sa.select(schema.accounts.c.login).limit(1)).first() is not None:
                set_meta(conn, SAMPLE_ACCOUNTS_META, "0")
                return False
            change_set = uuid.uuid4().hex
            for s, hashed in zip(samples, hashes, strict=True):
                account = Account(
                    s.login, s.display_name, s.role, s.unit, sample=True, has_password=True
                )
                extra = {"password_hash": hashed, "password_changed_at": at, "created_at": at}
                _write(conn, None, account, SYSTEM, "sample account", at, extra, change_set)
            set_meta(conn, SAMPLE_ACCOUNTS_META, "1")
        return True

    # --- helpers -------------------------------------------------------------------------------

    def _credentials(self, login: str) -> tuple[Account | None, str | None]:
        with self.engine.connect() as conn:
            return _read(conn, login)

    def _password_problems(self, account: Account, new: str, old: str) -> Exception | None:
        try:
            self._check_new_password(account, new, old)
        except ValueError as e:
            return e
        return None

    def _check_new_password(self, account: Account, password: str, old: str | None = None) -> None:
        check_password(
            password,
            login=account.login,
            display_name=account.display_name,
            min_length=self.auth.min_password_length,
            sample=account.sample,
            old=old,
        )

    def _change(
        self,
        login: str,
        actor: Actor,
        expected_version: int | None,
        note: str,
        change: Callable[[Account], Account],
        *,
        extra: Mapping[str, Any] | None = None,
        at: datetime | None = None,
        end: str | None = None,
    ) -> Account:
        """An admin's change of one account: checked, versioned, audited; the last admin kept.

        With ``end`` (a reason of `store.sessions.END_REASONS`), a change ends the account's
        sessions in the same transaction.
        """
        require(actor, "manage.accounts")
        login = normal_login(login)
        at = at or datetime.now(UTC)
        with self.engine.begin() as conn:
            lock(conn)
            account = _read(conn, login)[0]
            if account is None:
                raise AccountError("unknown", login=login[:80])
            if expected_version is not None and expected_version != account.version:
                raise AccountError(
                    "stale", login=login, expected=expected_version, current=account.version
                )
            after = change(account)
            if after == account and not extra:
                return account
            after = replace(after, version=account.version + 1)
            was_admin = account.role == "admin" and account.active
            still_admin = after.role == "admin" and after.active
            if was_admin and not still_admin and not _active_admins(conn, besides=[login]):
                raise AccountError("last_admin", login=login)
            _write(conn, account, after, actor, note, at, dict(extra or {}))
            if end is not None:
                end_sessions(conn, login, at, end)
        return after


# --- rows ----------------------------------------------------------------------------------------


def _account(row: Mapping[str, Any]) -> Account:
    values = {n: row[n] for n in _STORED}
    for key in ("locked_until", "last_sign_in"):
        values[key] = utc(values[key])
    values["version"] = int(values["version"])
    values["sample"] = bool(values["sample"])
    values["must_change_password"] = bool(values["must_change_password"])
    return Account(**values, has_password=row["password_hash"] is not None)


def _read(conn: sa.Connection, login: str) -> tuple[Account | None, str | None]:
    """The account of ``login`` and its password's hash (None, None for no such account)."""
    if not LOGIN.fullmatch(login):
        return None, None
    t = schema.accounts
    row = conn.execute(sa.select(t).where(t.c.login == login)).mappings().first()
    return (None, None) if row is None else (_account(row), row["password_hash"])


def _hold(conn: sa.Connection, login: str) -> None:
    """Lock one account's row for the transaction (first statement: SQLite's write lock)."""
    t = schema.accounts
    conn.execute(sa.update(t).where(t.c.login == login).values(version=t.c.version))


def _verify(stored: str | None, password: str) -> bool:
    """Check a password; with no hash, against a dummy one, so that it takes as long."""
    return verify_password(stored or dummy_hash(), password) and stored is not None


def _who(done: Attempt) -> Actor:
    """The account's owner when the password was right, else an anonymous visitor."""
    right = done.event in ("signed_in", "verified", "must_change", "refused_disabled")
    return done.account.actor() if right and done.account is not None else VISITOR


def _find_identity(conn: sa.Connection, subject: str, email: str | None) -> Account | None:
    t = schema.accounts
    row = conn.execute(sa.select(t).where(t.c.oidc_subject == subject)).mappings().first()
    if row is not None:
        return _account(row)
    if email is None:
        return None
    rows = conn.execute(sa.select(t).where(t.c.email == email)).mappings().all()
    if len(rows) != 1 or rows[0]["oidc_subject"] is not None:
        return None  # none, or the address is another person's identity already
    return _account(rows[0])


def _refuse_taken(conn: sa.Connection, login: str, email: str | None, subject: str | None) -> None:
    t = schema.accounts
    for column, value, code in (
        (t.c.email, email, "email_taken"),
        (t.c.oidc_subject, subject, "subject_taken"),
    ):
        if value is None:
            continue
        other = conn.execute(sa.select(t.c.login).where(column == value)).scalar()
        if other is not None:
            raise AccountError(code, email=email, login=other)


def _active_admins(conn: sa.Connection, *, besides: Sequence[str]) -> int:
    """How many active admins there are besides the accounts ``besides``."""
    t = schema.accounts
    q = sa.select(sa.func.count()).where(
        t.c.role == "admin", t.c.status == "active", t.c.login.not_in(list(besides))
    )
    return int(conn.execute(q).scalar())


def _document(account: Account) -> dict[str, Any]:
    """An account as the audit log keeps it: no password, no hash; times as ISO text."""
    return {
        k: v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v
        for k, v in asdict(account).items()
    }


def _write(
    conn: sa.Connection,
    before: Account | None,
    after: Account | None,
    actor: Actor,
    note: str,
    at: datetime,
    extra: Mapping[str, Any],
    change_set: str | None = None,
) -> None:
    """Insert, update or delete one account row (``extra``: columns not in `Account`, such as
    the hash) and audit it with the account before and after."""
    t = schema.accounts
    if after is None:
        assert before is not None
        conn.execute(t.delete().where(t.c.login == before.login))
        action, record = "delete", before
    else:
        values = {n: _value(getattr(after, n)) for n in _STORED}
        values |= {k: _value(v) for k, v in extra.items()}
        if before is None:
            conn.execute(t.insert().values(**values))
            action = "insert"
        else:
            conn.execute(t.update().where(t.c.login == before.login).values(**values))
            action = "update"
        record = after
    row = audit_row(
        _value(at),
        actor,
        change_set or uuid.uuid4().hex,
        action,
        TABLE,
        record.login,
        record.version,
        None if before is None else _document(before),
        None if after is None else _document(after),
        undo_of=None,
        note=note,
    )
    conn.execute(schema.audit_log.insert(), [{**row, "account": actor.account}])


def _value(v: Any) -> Any:
    return v.astimezone(UTC) if isinstance(v, datetime) else v


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware time (datetime.now(UTC))")
    return now
