import pytest


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """One STATIC_ROOT per test process for the gunicorn tests (servers.gunicorn collects into it once)."""
    return tmp_path_factory.mktemp("production-static")
