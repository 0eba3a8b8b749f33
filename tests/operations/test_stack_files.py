"""The production stack as files: the image, docker-compose.yml and the Varnish configuration.

There is no container engine in CI, so what can be checked without one is checked here: the compose file
as `docker-compose config` reads it (it interpolates and validates on the client), and the properties an
operator relies on in each file.
"""

import ipaddress
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
VCL = (ROOT / "varnish" / "default.vcl").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def compose_config(**env):
    """`docker-compose config` with only `env` (and PATH) in the environment, from an empty folder's .env."""
    command = shutil.which("docker-compose")
    assert command, "docker-compose is needed to check the compose file (apt-get install docker-compose)"
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [command, "--project-directory", str(ROOT), "-f", str(ROOT / "docker-compose.yml"), "config"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def dockerfile_stages():
    return re.split(r"^FROM ", DOCKERFILE, flags=re.MULTILINE)[1:]


# The image --------------------------------------------------------------------------------------------


def test_image_is_multi_stage_on_slim_python_311():
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", DOCKERFILE, re.MULTILINE)
    assert len(dockerfile_stages()) == 2
    assert all(stage.startswith("${PYTHON_IMAGE}") for stage in dockerfile_stages())


def test_image_installs_only_the_hashed_lock_and_builds_static_files_in():
    build, run = dockerfile_stages()
    assert "pip install --require-hashes --no-deps" in build and "requirements.lock" in build
    assert "collectstatic" in build
    assert "COPY --from=build /venv /venv" in run and "COPY --from=build /app /app" in run
    # Nothing is installed in the final stage, nor when a container starts.
    assert "pip" not in run
    assert "pip" not in str(SERVICES["web"]["command"]) + str(SERVICES["worker"]["command"])


def test_image_runs_as_a_non_root_user():
    run = dockerfile_stages()[-1]
    users = re.findall(r"^USER (\S+)", run, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"useradd .*--uid 10001", run)


def test_image_leaves_out_local_state_and_secrets():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for name in (".env", ".venv", ".git", "db.sqlite3*", "media", "staticfiles"):
        assert name in ignored


# docker-compose.yml ------------------------------------------------------------------------------------


def test_compose_has_no_obsolete_version_key():
    assert "version" not in COMPOSE


def test_compose_refuses_to_start_without_a_secret_key():
    result = compose_config()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_compose_config_is_valid_and_production_whatever_env_example_says(tmp_path):
    # An operator's first step: cp .env.example .env. Its values must not switch the stack to development.
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    result = compose_config(**{**example, "DJANGO_SECRET_KEY": "k" * 64})
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    for name in ("web", "worker", "migrate"):
        environment = config["services"][name]["environment"]
        assert environment["DJANGO_ENV"] == "production"
        assert "DJANGO_DEBUG" not in environment or environment["DJANGO_DEBUG"] in ("", "0")
        # The stack as documented: pictures served, Varnish purged.
        assert environment["SERVE_MEDIA"] == "1"
        assert environment["NEWSROOM_PURGER"] == "varnish"


def test_compose_builds_web_and_worker_from_the_image():
    for name in ("web", "worker", "migrate"):
        assert SERVICES[name]["build"] == "."
    assert SERVICES["web"]["command"][0] == "gunicorn"


def test_compose_runs_postgres_redis_web_worker_and_varnish_in_front_with_health_checks():
    assert {"db", "redis", "web", "worker", "varnish"} <= set(SERVICES)
    for name in ("db", "redis", "web", "worker", "varnish"):
        assert "healthcheck" in SERVICES[name], name
    # Only Varnish is published; web is reached through it.
    assert "ports" not in SERVICES["web"]
    assert SERVICES["varnish"]["ports"]
    assert SERVICES["varnish"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "./varnish/default.vcl:/etc/varnish/default.vcl:ro" in SERVICES["varnish"]["volumes"]


def test_compose_serves_media_and_purges_varnish_by_default():
    environment = SERVICES["web"]["environment"]
    assert environment["SERVE_MEDIA"].startswith("${SERVE_MEDIA:-1}")
    assert environment["NEWSROOM_PURGER"] == "${NEWSROOM_PURGER:-varnish}"
    assert "media:/data/media" in SERVICES["web"]["volumes"]


def test_purging_is_allowed_from_the_compose_network_but_not_its_gateway():
    subnet = ipaddress.ip_network(COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"])
    acl = re.search(r"acl purgers \{(.*?)\}", VCL, re.DOTALL).group(1)
    assert f'"{subnet.network_address}"/{subnet.prefixlen};' in acl
    assert f'! "{next(subnet.hosts())}";' in acl


# The VCL -----------------------------------------------------------------------------------------------


def test_vcl_points_at_the_web_service():
    assert re.search(r'backend default \{\s*\.host = "web";\s*\.port = "8000";', VCL)


@pytest.mark.parametrize(
    "needle",
    [
        "import xkey;",
        "xkey.purge(req.http.xkey-purge)",
        "client.ip !~ purgers",
        "unset req.http.Cookie;",
        "req.http.Authorization",
        "sessionid=",
        "preview(=|&|$)",
        "beresp.http.Surrogate-Control",
        "stale-while-revalidate",
        "stale-if-error",
    ],
)
def test_vcl_has_each_rule(needle):
    assert needle in VCL
