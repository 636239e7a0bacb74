"""Every text of the portal has its German translation: none missing, left empty or only guessed.

A text without an entry, or with an empty or "fuzzy" one (makemessages marks a changed text fuzzy and
compiling leaves it out), appears in English on a German page, e-mail or report, with no error. The
test runs scripts/makemessages (the one way the catalogues are updated) on a copy of the repository
and reads the German catalogues it leaves with msgattrib, of the GNU gettext tools that
compilemessages needs anyway.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _entries(catalogue: Path, *flags: str) -> list[str]:
    """The texts msgattrib selects with ``flags`` (the header, an empty msgid, left out)."""
    output = subprocess.run(  # noqa: S603 - fixed arguments
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(catalogue)],  # noqa: S607 - a system tool
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [text for text in re.findall(r'^msgid "(.*)"$', output, flags=re.MULTILINE) if text]


@pytest.fixture(scope="module")
def updated(tmp_path_factory) -> Path:
    """A copy of the repository whose catalogues scripts/makemessages brought up to date."""
    copy = tmp_path_factory.mktemp("catalogues") / "repo"
    skip = shutil.ignore_patterns(".*", "node_modules", "var", "media", "__pycache__", "*.mo", "static", "bench")
    shutil.copytree(ROOT, copy, ignore=skip)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "makemessages"), str(copy)], check=True)  # noqa: S603
    return copy


def _german(root: Path) -> list[Path]:
    return sorted(path.relative_to(root) for path in root.glob("*/de/LC_MESSAGES/django.po")) + sorted(
        path.relative_to(root) for path in root.glob("*/locale/de/LC_MESSAGES/django.po")
    )


def test_every_app_and_the_project_have_a_german_catalogue():
    catalogues = _german(ROOT)
    assert Path("locale/de/LC_MESSAGES/django.po") in catalogues
    # The project package's texts are the project catalogue's.
    apps = {path.parent for path in ROOT.glob("*/apps.py")} - {ROOT / "digitalfabrik"}
    assert {ROOT / app for app in ("coaching", "innoscheck", "reporting", "notifications")} <= apps
    assert all((app / "locale" / "de" / "LC_MESSAGES" / "django.po").exists() for app in apps), apps


@pytest.mark.parametrize("catalogue", _german(ROOT), ids=str)
def test_every_text_is_translated_into_german(updated, catalogue):
    assert _entries(updated / catalogue, "--untranslated") == []
    assert _entries(updated / catalogue, "--only-fuzzy") == []
