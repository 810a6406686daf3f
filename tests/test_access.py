"""Sign-in (access.py): with sign-in configured, a signed-out visitor sees the sign-in screen and
nothing else, a user outside the allow-list only a refusal; behind a proxy, a request without
the trusted header is refused. AppTest with Streamlit's user object set."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import access
from analytics import config
from tests.dashboard_support import REPO

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test cookie secret",
    "client_id": "dashboard",
    "client_secret": "secret",
    "server_metadata_url": "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration",
}
ALLOW = {"allowed_users": ["Ana.Analyst@council.gov.uk"], "allowed_groups": ["cla-dashboard-readers"]}


def run(monkeypatch, secrets: dict, user: dict | None = None) -> AppTest:
    monkeypatch.setenv("CLA_DB", str(config.BUNDLED_DB))
    monkeypatch.chdir(REPO)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for k, v in secrets.items():
        at.secrets[k] = v
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shows_nothing_but(at: AppTest, title: str) -> None:
    assert [t.value for t in at.title] == [title]
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.sidebar) == 0
    assert len(at.markdown) <= 1  # the screen's one line of text


def test_signed_out_visitor_sees_only_the_sign_in_screen(monkeypatch):
    at = run(monkeypatch, {"auth": AUTH, "access": ALLOW}, {"is_logged_in": False})
    shows_nothing_but(at, "Children looked after")
    assert [b.label for b in at.button] == ["Sign in"]


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": True, "email": "someone@elsewhere.org"},
        {"is_logged_in": True, "email": "someone@council.gov.uk", "groups": ["finance"]},
        {"is_logged_in": True},
    ],
)
def test_a_user_outside_the_allow_list_is_refused(monkeypatch, user):
    at = run(monkeypatch, {"auth": AUTH, "access": ALLOW}, user)
    shows_nothing_but(at, "No access")
    assert [b.label for b in at.button] == ["Sign out"]


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": True, "email": "ana.analyst@council.gov.uk"},
        {"is_logged_in": True, "email": "bo@council.gov.uk", "groups": ["x", "cla-dashboard-readers"]},
    ],
)
def test_a_user_on_the_allow_list_sees_the_dashboard(monkeypatch, user):
    at = run(monkeypatch, {"auth": AUTH, "access": ALLOW}, user)
    assert "No access" not in [t.value for t in at.title]
    assert len(at.sidebar) > 0


def test_behind_a_proxy_a_request_without_the_header_is_refused(monkeypatch):
    at = run(monkeypatch, {"access": {"trusted_header": "X-Forwarded-Email"}})
    shows_nothing_but(at, "Sign-in required")


def test_settings_and_allow_list():
    assert access.settings({}).mode == "open"
    closed = access.settings({"auth": {**AUTH, "microsoft": {"client_id": "x"}}, "access": ALLOW})
    assert (closed.mode, closed.provider) == ("oidc", "microsoft")
    assert closed.users == {"ana.analyst@council.gov.uk"}
    assert access.allowed(closed, " ANA.analyst@council.gov.uk ")
    assert not access.allowed(closed, None, ["cla-dashboard-readers"])
    assert not access.allowed(closed, "x@council.gov.uk", ["cla-dashboard-readers-2"])
    everyone = access.settings({"auth": AUTH})
    assert access.allowed(everyone, "x@y.org") and not access.allowed(everyone, "")
    proxy = access.settings({"access": {"trusted_header": "X-Forwarded-Email", "groups_header": "X-Groups"}})
    assert (proxy.mode, proxy.header, proxy.groups_header) == ("header", "X-Forwarded-Email", "X-Groups")


def test_hostile_url_values_are_checked_against_the_lists(monkeypatch):
    """Filters bound to the URL take only values of their option lists: anything else is dropped
    (and what is kept goes to SQL as a parameter), never an error."""
    monkeypatch.setenv("CLA_DB", str(config.BUNDLED_DB))
    monkeypatch.chdir(REPO)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["district"] = ["TS1'); DROP TABLE children; --", "TS1"]
    at.query_params["age"] = "<script>alert(1)</script>"
    at.query_params["year"] = "1999 OR 1=1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.title] if hasattr(e, "value"))
    assert "DROP TABLE" not in texts and "<script>" not in texts
    assert at.multiselect(key="district").value in (["TS1"], [])
