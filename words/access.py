"""Who may do what, in words: refusals of the permission table and the units they name.

`access.permissions` refuses with codes (`PermissionDenied`: the action, the actor's role and
unit, the record's unit); these functions say it in the page's language, naming roles by their
labels and units by their configured names ("此记录属于新虹街道", never "xinhong").
"""

from __future__ import annotations

from collections.abc import Iterable

from access.permissions import ACTIONS, NO_UNIT, PermissionDenied
from spaces.entities import Unit
from words import pick, t

TEXT: dict[str, tuple[str, str]] = {
    "refused_role": (
        "您的角色（{role}）无权{action}。",
        "Your role ({role}) may not {action}.",
    ),
    "refused_unit": (
        "此记录属于{owner}；{unit}的数据维护人员只能处理本单位的记录（{action}）。",
        "This record belongs to {owner}; a data steward of {unit} may act only on that "
        "unit's records ({action}).",
    ),
    "refused_no_unit": (
        "此记录不属于任何责任单位；{unit}的数据维护人员只能处理本单位的记录（{action}）。",
        "This record belongs to no responsible unit; a data steward of {unit} may act only on "
        "that unit's records ({action}).",
    ),
    "unit_unknown": ("未指定单位", "no unit given"),
    "person": ("{name}（{login}）", "{name} ({login})"),
    "right_view.finder": ("使用找空间", "use the space finder"),
    "right_view.map": ("查看载体地图", "see the carrier map"),
    "right_view.private": ("查看非公开信息", "see information that is not public"),
    "right_view.plan": ("查看释放方案与审议记录", "see the release plan and its decisions"),
    "right_view.demands": ("查看需求清单", "see the demand list"),
    "right_view.matching": ("查看供需匹配", "see supply and demand"),
    "right_view.audit": ("查看修改记录", "see the audit log"),
    "right_view.export": ("导出数据", "export data"),
    "right_edit.inventory": ("导入或修改载体数据", "import or change carrier data"),
    "right_replace.layers": ("替换基础图层", "replace base layers"),
    "right_edit.demands": ("修改需求清单", "change the demand list"),
    "right_decide.batch": ("批准或退回释放批次", "approve or return release batches"),
    "right_undo": ("撤销修改", "undo changes"),
    "right_remove.sample": ("删除样例数据", "remove the sample data"),
    "right_save.mapping": ("保存本单位的字段对应方案", "save a unit's column mapping"),
    "right_manage.accounts": ("管理账户", "manage accounts"),
    # signing in with the organisation's provider ([auth] mode = "oidc", ui/oidc.py)
    "oidc_sign_in": ("统一身份认证登录", "Sign in"),
    "oidc_sign_out": ("退出登录", "Sign out"),
    "oidc_signin_intro": (
        "本系统通过统一身份认证登录：点击下方按钮，在认证页面登录后将返回本系统。",
        "This app signs you in with your organisation's identity provider: press the button, "
        "sign in on its page, and you come back here.",
    ),
    "oidc_signed_in_as": ("已通过统一身份认证登录：{name}", "Signed in with the provider: {name}"),
    "oidc_unknown": (
        "您已通过统一身份认证登录，但尚未开通本系统账户，请联系管理员（开通账户需要您的{ident}）。"
        "在此之前，您以公众身份访问。",
        "You are signed in with the organisation's identity provider, but have no account in "
        "this system yet: please ask an administrator to add one (they need your {ident}). "
        "Until then you browse as the public.",
    ),
    "oidc_ident_subject": ("统一身份标识（subject）{subject}", "subject {subject}"),
    "oidc_ident_email": ("邮箱 {email} 或{subject}", "e-mail {email} or {subject}"),
    "oidc_disabled": (
        "您的账户已停用，现以公众身份访问；如有疑问请联系管理员。",
        "Your account is disabled: you browse as the public. Ask an administrator if this "
        "is wrong.",
    ),
    "oidc_not_configured": (
        "统一身份认证尚未配置：请管理员在 .streamlit/secrets.toml 中填写 [auth] 部分"
        "（见 README）。",
        "Sign-in with the organisation's provider is not configured: an administrator must "
        "fill the [auth] section of .streamlit/secrets.toml (see the README).",
    ),
}

FAMILIES: dict[str, tuple[str, ...]] = {"right_{}": tuple(ACTIONS)}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""


def unit_label(code: str | None, lang: str, units: Iterable[Unit]) -> str:
    """A responsible unit by its configured name in ``lang``; a code not configured as it is,
    and "no unit given" for None or `access.permissions.NO_UNIT`."""
    if code is None or code == NO_UNIT:
        return t("unit_unknown", lang)
    named = {u.id: (u.name_zh, u.name_en) for u in units}
    return pick(named[code], lang) if code in named else code


def person(name: object, login: object, lang: str) -> str:
    """Who acted: the display name and, when they acted through an account, its login
    ("王局长（wang）"); the name alone for the command line and the system (no account)."""
    name = "" if name is None or name != name else str(name)
    if login is None or login != login or not str(login):  # None or NaN
        return name
    return t("person", lang).format(name=name, login=login)


def refusal(error: PermissionDenied, lang: str, units: Iterable[Unit]) -> str:
    """Why the permission table refused, in ``lang``, naming the role, the action and units.

    Parameters
    ----------
    error
        The refusal (`access.permissions.require`, raised by a page or the store).
    lang
        "zh" or "en".
    units
        The configured responsible units (``settings.units``), for their names.
    """
    units = tuple(units)
    action = t(f"right_{error.action}", lang)
    if error.code == "unit":
        key = "refused_no_unit" if error.owner == NO_UNIT else "refused_unit"
        return t(key, lang).format(
            owner=unit_label(error.owner, lang, units),
            unit=unit_label(error.unit, lang, units),
            action=action,
        )
    return t("refused_role", lang).format(role=t(f"role_{error.role}", lang), action=action)
