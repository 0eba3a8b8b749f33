import os
import subprocess
import sys
from datetime import timedelta

import pytest
import yaml
from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.tasks import purge_keys
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_task_abandoned_by_a_killed_worker_runs_again(run_worker):
    result = purge_keys.enqueue(keys=["article-1"])
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(hours=1)
    )
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def test_a_task_still_running_elsewhere_is_left_alone(run_worker):
    result = purge_keys.enqueue(keys=["article-1"])
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_the_worker_publishes_scheduled_stories_that_are_due(run_worker, django_capture_on_commit_callbacks):
    story = ArticleFactory(status=Article.Status.SCHEDULED, go_live_at=timezone.now() - timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED and story.version == 1


def test_the_worker_refuses_nonsense_options():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("run_worker", "--once", "--max-tasks", "0")


def settings_with(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], sorted(settings.DATABASES)]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
            "PATH": "/usr/bin:/bin",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_object_storage_and_a_replica_are_one_setting_away():
    result = settings_with(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="media",
        DATABASE_REPLICA_URL="postgres://reader@replica:5432/newsroom",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '["storages.backends.s3.S3Storage", ["default", "replica"]]'


def test_an_unknown_storage_backend_is_refused_at_start():
    result = settings_with(STORAGE_BACKEND="ftp")
    assert result.returncode != 0 and "STORAGE_BACKEND" in result.stderr


def test_the_compose_stack_runs_every_service_with_a_health_check():
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker"} <= set(services)
    assert all("healthcheck" in services[name] for name in ("db", "redis", "web", "worker"))
    assert "run_worker" in services["worker"]["command"]
    assert {"pgdata", "media"} <= set(compose["volumes"])


def test_every_variable_the_stack_passes_is_documented():
    documented = {
        line.split("=", 1)[0]
        for line in (settings.BASE_DIR / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    passed = {
        name
        for name, value in compose["x-app"]["environment"].items()
        if isinstance(value, str) and value.startswith("${")
    }
    assert passed <= documented, passed - documented


def test_the_worker_touches_its_heartbeat(run_worker, tmp_path):
    from django.core.management import call_command

    beat = tmp_path / "alive"
    call_command("run_worker", "--once", "--heartbeat-file", str(beat))
    assert beat.exists()
