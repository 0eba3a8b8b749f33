"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis 4), in process.

Anonymous and with a staff token: no server error, no response that breaks the schema, no status
code the schema does not document. Every documented parameter is generated, `fields` and `format` among
them, and cursors are made to decode into generated positions. Bounded: a few examples per operation,
derandomized.
"""

import base64

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis import checks

from tests.helpers.world import build_world

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 8


def fuzz(headers=None):
    from newsroom.wsgi import application

    build_world()
    # Requests go straight to the WSGI app, whose end-of-request signal would close the test's
    # database connection (and its transaction); Django's own test client unhooks it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return _fuzz(application, headers)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzz(application, headers):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures, operations, cases = [], 0, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal cases
            cases += 1
            if case.query and isinstance(case.query.get("cursor"), str):
                # A generated cursor seldom gets past base64; this one does, and carries the generated
                # text as a position (and its length as an offset) for the database to meet.
                raw = case.query["cursor"]
                case.query["cursor"] = base64.b64encode(f"o={len(raw)}&p={raw}".encode()).decode()
            # Reads are open to anyone by design (the schema says so with an empty security entry), so
            # "accepts requests without authentication" is no finding; and a schema cannot say "a slug
            # that exists" or "a cursor this server issued", so refusing those with a documented 400
            # is right, not a "schema-valid request rejected".
            case.call_and_validate(
                headers=headers, excluded_checks=[checks.ignored_auth, checks.positive_data_acceptance]
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # report every failing operation, not the first
            failures.append(f"{operation.label}: {str(error)[:800]}")
    return operations, cases, failures


def test_fuzzing_anonymously_finds_no_server_error_or_schema_violation():
    operations, cases, failures = fuzz()
    print(f"anonymous: {operations} operations, {cases} cases, {len(failures)} failing")
    assert operations >= 20
    assert failures == [], "\n\n".join(failures)


def test_fuzzing_with_a_staff_token_finds_no_server_error_or_schema_violation(editor):
    token = AuthToken.objects.create(user=editor)[1]
    operations, cases, failures = fuzz(headers={"Authorization": f"Token {token}"})
    print(f"staff: {operations} operations, {cases} cases, {len(failures)} failing")
    assert failures == [], "\n\n".join(failures)
