"""The admin page in words: accounts, their states, the admins' changes and why one is refused.

`access.accounts` refuses with codes (`AccountError`); `account_error` says them in the page's
language, naming roles and units by their labels (a password's rules: `words.signin`).
"""

from __future__ import annotations

from collections.abc import Iterable

from access.accounts import ACCOUNT_ROLES, AccountError
from spaces.entities import Unit
from words import t
from words.access import unit_label

STATES = ("active", "locked", "disabled")
"""What `access.accounts.Account.state` says of an account."""

ACCOUNT_ERRORS = (
    "unknown",
    "exists",
    "login",
    "display_name",
    "email",
    "email_taken",
    "subject_taken",
    "role",
    "unit",
    "steward_unit",
    "last_admin",
    "stale",
)
ACCOUNT_FIELDS = (
    "login",
    "display_name",
    "role",
    "unit",
    "status",
    "sample",
    "must_change_password",
    "failed_attempts",
    "locked_until",
    "last_sign_in",
    "oidc_subject",
    "email",
)
"""The fields of `access.accounts.Account` an audit entry of an account shows."""


TEXT: dict[str, tuple[str, str]] = {
    "page_admin": ("账户管理", "Accounts"),
    "admin_intro": (
        "管理可登录本平台的账户：角色、单位、状态与密码。每项修改都记入修改记录。",
        "Manage who may sign in: role, unit, status and password. Every change is kept in the "
        "audit log.",
    ),
    "admin_count": ("共 {n} 个账户", "{n} account(s)"),
    "admin_login": ("登录名", "Login"),
    "admin_name": ("显示名", "Display name"),
    "admin_role": ("角色", "Role"),
    "admin_unit": ("责任单位", "Unit"),
    "admin_no_unit": ("（无）", "(none)"),
    "admin_state": ("状态", "Status"),
    "admin_sample": ("示例", "Sample"),
    "admin_last_sign_in": ("最近登录（北京时间）", "Last sign-in (Beijing time)"),
    "admin_email": ("电子邮箱（可选）", "E-mail (optional)"),
    "admin_subject": ("统一身份认证标识（可选）", "Identity provider subject (optional)"),
    "admin_password": (
        "初始密码（留空则自动生成）",
        "First password (leave empty to generate one)",
    ),
    "admin_add": ("新增账户", "Add an account"),
    "admin_add_submit": ("新增", "Add"),
    "admin_added": ("已新增账户 {login}。", "Account {login} added."),
    "admin_choose": ("选择账户", "Choose an account"),
    "admin_change": ("修改账户", "Change an account"),
    "admin_disable": ("停用", "Disable"),
    "admin_enable": ("启用", "Enable"),
    "admin_unlock": ("解除锁定", "Unlock"),
    "admin_reset": ("重置密码", "Reset password"),
    "admin_set_role": ("保存角色与单位", "Save role and unit"),
    "admin_disabled": ("已停用账户 {login}。", "Account {login} disabled."),
    "admin_enabled": ("已启用账户 {login}。", "Account {login} enabled."),
    "admin_unlocked": ("已解除账户 {login} 的锁定。", "Account {login} unlocked."),
    "admin_role_set": (
        "账户 {login} 现为{role}（{unit}）。",
        "Account {login} is now {role} ({unit}).",
    ),
    "admin_unchanged": ("没有修改。", "Nothing changed."),
    "admin_password_once": (
        "账户 {login} 的密码如下，只显示这一次：请当面或通过安全渠道告知本人；"
        "首次登录时须修改密码。",
        "The password of {login} is below, shown this once only: give it to the person in "
        "person or over a safe channel; it must be changed at the first sign-in.",
    ),
    "admin_must_change": ("首次登录须改密码", "must change password at first sign-in"),
    "admin_confirm_disable": ("停用账户？", "Disable the account?"),
    "admin_confirm_disable_text": (
        "停用后 {name}（{login}）将不能登录，直到重新启用。",
        "{name} ({login}) will not be able to sign in until the account is enabled again.",
    ),
    "admin_confirm_reset": ("重置密码？", "Reset the password?"),
    "admin_confirm_reset_text": (
        "将为 {name}（{login}）生成新密码，原密码随即失效；新密码只显示一次。",
        "A new password is made for {name} ({login}) and the old one stops working; the new "
        "one is shown once.",
    ),
    "admin_samples": (
        "示例账户的密码已在说明文档中公开：正式使用前请新增正式管理员账户，并用 "
        "`cli.py users remove-samples` 删除示例账户。",
        "The sample accounts' passwords are published in the README: before real use, add a "
        "real administrator and remove the sample accounts with `cli.py users remove-samples`.",
    ),
    "admin_audit_hint": (
        "账户的每项修改（及每次登录）都可在“修改记录”页查看。",
        "Every change of an account (and every sign-in) is listed on the audit log page.",
    ),
    "audit_accounts": ("账户", "Accounts"),
    "account_field_login": ("登录名", "login"),
    "account_field_display_name": ("显示名", "display name"),
    "account_field_role": ("角色", "role"),
    "account_field_unit": ("责任单位", "unit"),
    "account_field_status": ("状态", "status"),
    "account_field_sample": ("示例账户", "sample account"),
    "account_field_must_change_password": ("须改密码", "must change password"),
    "account_field_failed_attempts": ("连续登录失败次数", "failed sign-ins in a row"),
    "account_field_locked_until": ("锁定至", "locked until"),
    "account_field_last_sign_in": ("最近登录", "last sign-in"),
    "account_field_oidc_subject": ("统一身份认证标识", "provider subject"),
    "account_field_email": ("电子邮箱", "e-mail"),
    "account_state_active": ("正常", "active"),
    "account_state_locked": ("已锁定", "locked"),
    "account_state_disabled": ("已停用", "disabled"),
    "account_error_unknown": ("没有账户 {login}。", "There is no account {login}."),
    "account_error_exists": ("登录名 {login} 已被占用。", "The login {login} is taken."),
    "account_error_login": (
        "“{login}”不能作为登录名：须为 1–64 个小写字母、数字或 . _ @ -，以字母或数字开头。",
        "'{login}' is not a login: 1 to 64 lower-case letters, digits and . _ @ -, starting "
        "with a letter or digit.",
    ),
    "account_error_display_name": (
        "显示名须为 1–64 个可打印字符。",
        "The display name must be 1 to 64 printable characters.",
    ),
    "account_error_email": (
        "“{email}”不是有效的电子邮箱。",
        "'{email}' is not an e-mail address.",
    ),
    "account_error_email_taken": (
        "电子邮箱 {email} 已属于账户 {login}。",
        "The e-mail address {email} is the account {login}'s already.",
    ),
    "account_error_subject_taken": (
        "该统一身份认证标识已属于账户 {login}。",
        "That identity of the provider is the account {login}'s already.",
    ),
    "account_error_role": ("“{role}”不是账户角色。", "'{role}' is not an account's role."),
    "account_error_unit": (
        "“{unit}”不是已配置的责任单位。",
        "'{unit}' is not a configured responsible unit.",
    ),
    "account_error_steward_unit": (
        "数据维护人员须指定责任单位（其维护的载体所属单位）。",
        "A data steward needs a unit: the responsible unit whose records they keep.",
    ),
    "account_error_last_admin": (
        "{login} 是最后一个启用的管理员账户，不能停用或改为其他角色：请先新增或启用另一个管理员。",
        "{login} is the last active administrator and cannot be disabled or given another "
        "role: add or enable another administrator first.",
    ),
    "account_error_stale": (
        "账户 {login} 在显示后已被修改（版本 {expected}，现为 {current}）："
        "已重新读取，请再操作一次。",
        "The account {login} was changed since it was shown (version {expected}, now "
        "{current}): it has been read again, please try once more.",
    ),
}

FAMILIES: dict[str, tuple[str, ...]] = {
    "account_state_{}": STATES,
    "account_field_{}": ACCOUNT_FIELDS,
    "admin_confirm_{}_text": ("disable", "reset"),
    "account_error_{}": ACCOUNT_ERRORS,
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""


def account_field(name: str, lang: str) -> str:
    """The label of an account's field (an audit entry of the accounts); else its name."""
    return t(f"account_field_{name}", lang) if name in ACCOUNT_FIELDS else name


def account_error(error: AccountError, lang: str, units: Iterable[Unit]) -> str:
    """Why an account change was refused, in ``lang`` (units and roles by their labels)."""
    params = {k: str(v) for k, v in error.params.items()}
    if "unit" in params:
        params["unit"] = unit_label(error.params["unit"], lang, units)
    if error.code == "role" and error.params.get("role") in ACCOUNT_ROLES:
        params["role"] = t(f"role_{error.params['role']}", lang)
    return t(f"account_error_{error.code}", lang).format(**params)
