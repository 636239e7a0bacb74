"""docker-compose.yml and deploy/Caddyfile, checked in their structure (no Docker engine runs here)."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from .servers import PYTHON, production_env

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
CADDYFILE = (ROOT / "deploy" / "Caddyfile").read_text()


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def _of_kind(pattern: str) -> list[str]:
    return sorted(name for name, service in SERVICES.items() if re.search(pattern, _command(service)))


WEBS = _of_kind(r"^gunicorn ")
WORKERS = _of_kind(r"celery .* worker ")
ONE_SHOTS = sorted(name for name, service in SERVICES.items() if service.get("restart") == "no")


def test_the_stack_has_its_parts():
    assert len(WEBS) == 2
    assert len(WORKERS) == 2
    assert {"proxy", "db", "redis", "minio", "migrate", "minio-init"} <= set(SERVICES)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_long_running_service_has_a_health_check(name):
    service = SERVICES[name]
    if name in ONE_SHOTS:
        # A one-shot job is done, not healthy: the others wait until it has completed successfully.
        waiting = [
            other
            for other in SERVICES.values()
            if other.get("depends_on", {}).get(name, {}).get("condition") == "service_completed_successfully"
        ]
        assert waiting, f"nobody waits for the one-shot {name}"
        return
    check = service.get("healthcheck", {})
    assert check.get("test") and not check.get("disable"), f"{name} has no health check"


def test_migrations_run_once_before_the_web_containers_and_workers_start():
    assert _of_kind(r"manage\.py migrate") == ["migrate"]
    assert "migrate" in ONE_SHOTS
    for name in WEBS + WORKERS + ["beat"]:
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert SERVICES[name]["depends_on"]["minio-init"] == {"condition": "service_completed_successfully"}, name


def test_exactly_one_beat():
    assert _of_kind(r"celery .*\bbeat\b") == ["beat"]
    assert "deploy" not in SERVICES["beat"] or SERVICES["beat"]["deploy"].get("replicas", 1) == 1


def test_the_proxy_routes_to_both_web_containers_and_waits_for_them():
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", CADDYFILE).group(1).split()
    assert sorted(upstream.split(":")[0] for upstream in upstreams) == WEBS
    assert all(upstream.endswith(":8000") for upstream in upstreams)
    assert "health_uri /health/ready/" in CADDYFILE
    # Its own probes go to the containers directly; from outside the health endpoints are not there
    # (Caddy orders "respond" before "reverse_proxy" whatever the order in the file).
    assert "@health path /health/*" in CADDYFILE and "respond @health 404" in CADDYFILE
    assert {name: {"condition": "service_healthy"} for name in WEBS} == SERVICES["proxy"]["depends_on"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in SERVICES["proxy"]["volumes"]


def test_the_web_health_check_asks_the_readiness_endpoint():
    for name in WEBS:
        assert SERVICES[name]["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py", "/health/ready/"]
    assert (ROOT / "deploy" / "healthcheck.py").exists()


def test_app_containers_share_no_disk_but_the_bucket():
    for name in WEBS + WORKERS + ["beat", "migrate"]:
        service = SERVICES[name]
        assert not service.get("volumes"), f"{name} mounts a volume"
        environment = service["environment"]
        assert environment["S3_BUCKET"] and environment["S3_ENDPOINT_URL"] == "http://minio:9000"
        assert environment["DJANGO_SETTINGS_MODULE"] == "digitalfabrik.settings.production"
        assert environment["CACHE_URL"].startswith("redis://redis:")


def test_proxy_settings_match_the_proxy():
    """Caddy sets X-Forwarded-Proto and appends one address to X-Forwarded-For; Host passes unchanged."""
    [proxy_count] = {SERVICES[name]["environment"]["ALLAUTH_TRUSTED_PROXY_COUNT"] for name in WEBS}
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
        "[s.SECURE_PROXY_SSL_HEADER, s.USE_X_FORWARDED_HOST, s.ALLAUTH_TRUSTED_PROXY_COUNT, s.SECURE_REDIRECT_EXEMPT]))"
    )
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-c", script],
        cwd=ROOT,
        env=production_env(ALLAUTH_TRUSTED_PROXY_COUNT=proxy_count),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    header, forwarded_host, count, exempt = json.loads(result.stdout.strip().splitlines()[-1])
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert forwarded_host is False and "header_up Host" not in CADDYFILE
    assert count == 1
    # The containers' health checks and Caddy's probes ask over plain HTTP, without a redirect.
    assert any(re.match(pattern, "health/ready/") for pattern in exempt)


def test_queues_and_limits_live_in_a_redis_that_evicts_nothing_fragments_in_one_that_may():
    """Celery's messages, rate-limit counters and used TOTP codes must never be evicted; fragments may."""
    environment = SERVICES[WEBS[0]]["environment"]
    for setting in ("CELERY_BROKER_URL", "CACHE_URL"):
        assert environment[setting].startswith("redis://redis:6379/")
    assert "--maxmemory-policy noeviction" in _command(SERVICES["redis"])
    assert environment["FRAGMENT_CACHE_URL"].startswith("redis://redis-cache:6379/")
    assert "--maxmemory-policy allkeys-lru" in _command(SERVICES["redis-cache"])


def test_the_proxy_lets_a_proof_of_use_through_and_no_more():
    """Caddy's body limit is the portal's limit for requests that carry files (UPLOAD_MAX_REQUEST_BYTES)."""
    [limit] = re.findall(r"max_size (\d+)MiB", CADDYFILE)  # MiB: 1024², as the setting counts
    assert int(limit) * 1024 * 1024 >= settings.UPLOAD_MAX_REQUEST_BYTES
    assert int(limit) * 1024 * 1024 < settings.UPLOAD_MAX_REQUEST_BYTES + 1024 * 1024
