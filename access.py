"""Who may see the dashboard: the gate called first in app.py, before any page, sidebar or number.

Three modes, read from `.streamlit/secrets.toml` (never committed; see the README, "Sign-in"):
- open (neither section below): anyone who can reach the server, as on a analyst's own machine;
- sign-in with OpenID Connect (`[auth]`, Streamlit's `st.login`, e.g. Microsoft Entra ID): a
  signed-out visitor sees only the sign-in screen;
- behind the council's sign-in proxy (`[access] trusted_header = "X-Forwarded-Email"`): a request
  without that header is refused.
In both closed modes `[access] allowed_users` (e-mail addresses) and `allowed_groups` (group ids
of the token's `groups` claim, or of `groups_header`) name who may see it; anyone else sees
only a refusal. Both lists empty means every signed-in user of the provider is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError


@dataclass(frozen=True)
class Access:
    mode: str  # "open", "oidc" or "header"
    users: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    header: str = ""
    groups_header: str = ""
    provider: str | None = None


def _names(values) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    return frozenset(str(v).strip().lower() for v in values or () if str(v).strip())


def settings(secrets: Mapping) -> Access:
    """The access mode and allow-list from the secrets (`st.secrets` or a dict)."""
    section = dict(secrets.get("access", {}) or {})
    users, groups = _names(section.get("allowed_users")), _names(section.get("allowed_groups"))
    if section.get("trusted_header"):
        header = str(section["trusted_header"])
        return Access("header", users, groups, header, str(section.get("groups_header", "")))
    if "auth" in secrets:
        auth = secrets["auth"]
        providers = [k for k, v in dict(auth).items() if isinstance(v, Mapping)]
        provider = section.get("provider") or (providers[0] if len(providers) == 1 else None)
        return Access("oidc", users, groups, provider=provider)
    return Access("open")


def allowed(access: Access, email: str | None, groups: Sequence[str] = ()) -> bool:
    """Whether a signed-in person may see the dashboard."""
    if not email:
        return False
    if not access.users and not access.groups:
        return True
    return email.strip().lower() in access.users or bool(_names(groups) & access.groups)


def _closed(title: str, text: str, button: str | None = None, action=None) -> None:
    """Show only this screen and stop: registered as the one page, hidden, so that neither the
    declared pages nor a menu of the pages folder is shown."""

    def screen() -> None:
        st.title(title)
        st.write(text)
        if button and st.button(button, type="primary"):
            action()

    st.navigation([st.Page(screen, title=title, url_path="access")], position="hidden").run()
    st.stop()


def gate() -> None:
    """Stop the run, showing only a sign-in screen or a refusal, unless this visitor may see the
    dashboard. Call it before anything else is drawn."""
    try:
        secrets = st.secrets.to_dict()
    except StreamlitSecretNotFoundError:  # no secrets.toml at all; a malformed one fails closed
        secrets = {}
    access = settings(secrets)
    if access.mode == "open":
        return
    refused = "Your account is not on this dashboard's list of users."
    if access.mode == "header":
        headers = st.context.headers
        email = headers.get(access.header)
        groups = (headers.get(access.groups_header) or "").split(",") if access.groups_header else ()
        if not email:
            _closed("Sign-in required", "This dashboard is reached only through the council's sign-in.")
        if not allowed(access, email, groups):
            _closed("No access", refused)
        return
    if not st.user.is_logged_in:
        _closed(
            "Children looked after",
            "Sign in with your council account to see the dashboard.",
            "Sign in",
            lambda: st.login(access.provider) if access.provider else st.login(),
        )
    if not allowed(
        access, st.user.get("email") or st.user.get("preferred_username"), st.user.get("groups") or ()
    ):
        _closed("No access", refused, "Sign out", st.logout)
