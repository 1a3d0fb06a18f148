"""Signing in, in words: the sign-in and account pages, their errors, the sample-account banner
and what a page says to a visitor who may not see it."""

from __future__ import annotations

from access.accounts import PasswordError, SignInError
from settings import BEIJING
from words import t

TEXT: dict[str, tuple[str, str]] = {
    "page_signin": ("登录", "Sign in"),
    "page_account": ("我的账户", "My account"),
    "signin_login": ("账号", "Login"),
    "signin_password": ("密码", "Password"),
    "signin_submit": ("登录", "Sign in"),
    "signin_intro": (
        "规划人员、领导、数据维护人员和管理员请登录；企业和公众无需登录即可使用“找空间”。",
        "Planners, leaders, data stewards and administrators sign in here; enterprises and "
        "the public use the space finder without signing in.",
    ),
    "signin_missing": ("请填写账号和密码。", "Enter the login and the password."),
    "signin_error_unknown_or_wrong": ("账号或密码错误。", "The login or the password is wrong."),
    "signin_error_locked": (
        "登录失败次数过多，账户已锁定至 {until}（北京时间），请届时再试或联系管理员解锁。",
        "Too many failed sign-ins: the account is locked until {until} (Beijing time). Try "
        "again then, or ask an administrator to unlock it.",
    ),
    "signin_error_disabled": (
        "此账户已停用，请联系管理员。",
        "This account is disabled: ask an administrator.",
    ),
    "signin_error_must_change": (
        "密码由管理员设置或已被重置，请先设置新密码。",
        "The password was set by an administrator or reset: set a new password first.",
    ),
    "signin_done": ("已登录：{name}", "Signed in: {name}"),
    "signed_in_as": ("已登录", "Signed in"),
    "signout": ("退出登录", "Sign out"),
    "signed_out": ("已退出登录。", "You are signed out."),
    "password_current": ("当前密码", "Current password"),
    "password_new": ("新密码", "New password"),
    "password_repeat": ("再次输入新密码", "New password again"),
    "password_change": ("修改密码", "Change password"),
    "password_set": ("设置新密码", "Set the new password"),
    "password_mismatch": ("两次输入的新密码不一致。", "The two new passwords differ."),
    "password_changed": (
        "密码已修改；其他浏览器中的登录已退出。",
        "The password is changed; sign-ins in other browsers are signed out.",
    ),
    "password_rules": (
        "新密码至少 {min_length} 个字符，不能包含账号或姓名。",
        "A new password has at least {min_length} characters and holds neither the login nor "
        "the name.",
    ),
    "password_error_too_short": (
        "新密码短于 {min_length} 个字符。",
        "The new password is shorter than {min_length} characters.",
    ),
    "password_error_too_long": (
        "新密码长于 {max_length} 个字符。",
        "The new password is longer than {max_length} characters.",
    ),
    "password_error_control": (
        "新密码含有控制字符。",
        "The new password holds a control character.",
    ),
    "password_error_like_login": (
        "新密码不能是或包含账号或姓名。",
        "The new password may not be or hold the login or the name.",
    ),
    "password_error_sample": (
        "示例密码（以 sample- 开头）已公开，不能使用。",
        "Sample passwords (starting sample-) are published and cannot be used.",
    ),
    "password_error_same": (
        "新密码不能与原密码相同。",
        "The new password is the old one.",
    ),
    "account_details": ("{name} · {role}", "{name} · {role}"),
    "account_login": ("账号：{login}", "Login: {login}"),
    "session_note": (
        "登录在 {minutes} 分钟无操作后失效；"
        "本浏览器的新标签页和刷新后保持登录（Cookie：hq_session）。",
        "A sign-in ends after {minutes} minutes without use; new tabs of this browser and "
        "reloads stay signed in (cookie: hq_session).",
    ),
    "needs_signin": (
        "此页面需要登录。请登录有权查看此页面的账户。",
        "This page needs you to sign in with an account that may see it.",
    ),
    "needs_role": (
        "您的角色（{role}）无权查看此页面。",
        "Your role ({role}) may not see this page.",
    ),
    "signin_to_see": ("登录后查看", "Sign in to see it"),
    "signin_other": ("以其他账户登录", "Sign in with another account"),
    "sample_accounts_banner": (
        "示例账户已启用：其密码已在 README 中公开，任何人都能登录。正式使用前请删除："
        "python cli.py users remove-samples",
        "Sample accounts are active: their passwords are published in the README, so anyone "
        "can sign in. Remove them before real use: python cli.py users remove-samples",
    ),
}

FAMILIES: dict[str, tuple[str, ...]] = {
    "signin_error_{}": SignInError.CODES,
    "password_error_{}": PasswordError.CODES,
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""


def sign_in_error(error: SignInError, lang: str) -> str:
    """Why a sign-in was refused, in ``lang``; a lock says until when, in Beijing time."""
    params = dict(error.params)
    if "until" in params:
        params["until"] = params["until"].astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return t(f"signin_error_{error.code}", lang).format(**params)


def password_error(error: PasswordError, lang: str) -> str:
    """Each rule a new password breaks, in ``lang``, one after the other."""
    texts = (t(f"password_error_{code}", lang).format(**error.params) for code in error.codes)
    return " ".join(texts)
