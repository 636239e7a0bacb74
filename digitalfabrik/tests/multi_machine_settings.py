"""The production settings for the multi-machine test's processes, with plain static files.

Static files play no part in running on several machines (each image carries its own collected
copy); the compressed manifest storage would need a collectstatic run of ~25 s first.
"""

from digitalfabrik.settings.production import *  # noqa: F403
from digitalfabrik.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
