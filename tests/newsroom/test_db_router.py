"""The replica router. No database access: the router only decides, and outside a transaction."""

import pytest
from django.conf import settings
from django.db import connections
from django.test import RequestFactory

from articles.models import Article
from newsroom import db_router


@pytest.fixture
def replica(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)


def through_middleware(request):
    seen = []
    db_router.PublicReadsMiddleware(
        lambda r: seen.append(db_router.PublicReadsRouter().db_for_read(Article))
    )(request)
    return seen[0]


def test_anonymous_public_reads_go_to_the_replica(replica):
    assert through_middleware(RequestFactory().get("/api/v1/articles/")) == "replica"


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().post("/api/v1/articles/"),
        RequestFactory().get("/admin/articles/article/"),
        RequestFactory().get("/api/v1/articles/", HTTP_AUTHORIZATION="Token abc"),
        RequestFactory().get("/api/v1/articles/x/", {"preview": "token"}),
    ],
    ids=["write", "admin", "token", "preview"],
)
def test_everything_else_reads_the_primary(replica, request_):
    request_.COOKIES = {}
    assert through_middleware(request_) is None


def test_reads_inside_a_transaction_use_the_primary(replica, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    assert through_middleware(RequestFactory().get("/api/v1/articles/")) is None


def test_without_a_replica_everything_reads_the_primary():
    assert "replica" not in settings.DATABASES
    assert through_middleware(RequestFactory().get("/api/v1/articles/")) is None
    assert db_router.PublicReadsRouter().db_for_write(Article) == "default"
    assert not db_router.PublicReadsRouter().allow_migrate("replica", "articles")
