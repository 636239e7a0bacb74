import os
import subprocess

import pytest
from filelock import FileLock

from .servers import PYTHON, ROOT, production_env


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """The static files as production serves them (collectstatic with the compressed manifest storage,
    about 20 s of CPU), collected once per test run into a directory every xdist worker shares."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's directory; each worker's own is a subdirectory of it
    root = base / "production-static"
    with FileLock(f"{root}.lock"):
        if not (root / "staticfiles.json").exists():
            subprocess.run(  # noqa: S603 - fixed arguments
                [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=production_env(STATIC_ROOT=str(root)),
                check=True,
                timeout=300,
            )
    return root
