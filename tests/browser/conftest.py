"""The desk's people for Chromium tests: a reporter and two editors who sign in with the shared password."""

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import connections

from articles.models import Speaker
from articles.roles import sync_roles
from contributors.models import Contributor
from tests.factories import UserFactory


@pytest.fixture
def desk(transactional_db):
    # Transactional tests empty every table afterwards, migration-made permissions and groups included.
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    sync_roles()
    Contributor.objects.create(name="Olena Reporter", slug="olena-reporter", title="Correspondent")
    Speaker.objects.create(name="Oleksandr Syrskyi", slug="oleksandr-syrskyi", title="Commander")
    users = {
        "reporter": UserFactory(username="olena", is_staff=True, role="reporter"),
        "editor": UserFactory(
            username="desk", is_staff=True, role="editor", first_name="Desk", last_name="Editor"
        ),
        "second_editor": UserFactory(
            username="maria", is_staff=True, role="editor", first_name="Maria", last_name="Night"
        ),
    }
    # The body runs in another context with another connection; close this one now
    # (see tests/browser/test_workflow.py).
    connections.close_all()
    return users
