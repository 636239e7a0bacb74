"""Docker health check of a web container: GET a health endpoint of the gunicorn in this container.

    python deploy/healthcheck.py /health/ready/

No Django: runs every few seconds. Sends the site's host name (the first of DJANGO_ALLOWED_HOSTS),
which Django's host check wants; the health endpoints are exempt from the HTTPS redirect.
"""

import os
import sys
import urllib.request

path = sys.argv[1] if len(sys.argv) > 1 else "/health/live/"
host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
request = urllib.request.Request(f"http://127.0.0.1:8000{path}", headers={"Host": host})  # noqa: S310
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)
