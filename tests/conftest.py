import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Every test keeps its salt and default database in its own private folder."""
    home = tmp_path / "private"
    monkeypatch.setenv("CLA_DASHBOARD_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def cohort_db(tmp_path_factory):
    """The seeded multi-year cohort, loaded once for the dashboard's tests (read-only)."""
    from tests.dashboard_support import build_cohort_db

    return build_cohort_db(tmp_path_factory.mktemp("dashboard_cohort"))


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory):
    """A council whose every count is from 1 to 5 (read-only)."""
    from tests.dashboard_support import build_tiny_db

    return build_tiny_db(tmp_path_factory.mktemp("dashboard_tiny"))
