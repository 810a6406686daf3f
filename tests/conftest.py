import pytest


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Every test keeps its salt and default database in its own private folder."""
    home = tmp_path / "private"
    monkeypatch.setenv("CLA_DASHBOARD_HOME", str(home))
    return home
