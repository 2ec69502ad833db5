"""The OpenAPI document is valid and true: schemathesis checks it against the OpenAPI 3.1
meta-schema, then generates requests from it (valid and invalid parameters) and checks every
answer: never a server error, only the statuses, headers and bodies the document declares.

Bounded for `make test`: a fixed number of examples per operation, well under two minutes.
"""

import pytest
from django.core.signals import request_started
from django.db import close_old_connections

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")
from hypothesis import HealthCheck, given, settings  # noqa: E402

pytestmark = pytest.mark.django_db
EXAMPLES = 40  # per operation: six operations, each call a few milliseconds


def keeping_the_test_connection(app):
    """Django's WSGI application, leaving the test's database connection open between requests
    as the test client does (the test runs in a transaction)."""

    def wsgi(environ, start_response):
        request_started.disconnect(close_old_connections)
        try:
            return app(environ, start_response)
        finally:
            request_started.connect(close_old_connections)

    return wsgi


@pytest.fixture
def api_schema(full_article, key, settings):
    from django.core.wsgi import get_wsgi_application

    settings.API_RATE_LIMITS = []  # hundreds of calls a minute, by design
    app = keeping_the_test_connection(get_wsgi_application())
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_openapi_document_is_valid_and_declares_the_key(api_schema, api):
    api_schema.validate()  # raises on an invalid document
    document = api.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    [scheme] = document["components"]["securitySchemes"].values()
    assert scheme == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    paths = set(document["paths"])
    assert {"/api/v1/articles/{article_id}", "/api/v1/manifest", "/api/v1/search"} <= paths
    for path, methods in document["paths"].items():
        assert set(methods) == {"get"}, path
        assert methods["get"]["security"] == [{"PartnerKey": []}], path


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_every_answer_matches_the_document(api_schema, key, mode):
    """Valid parameters, then invalid ones, for every operation. (Driven with Hypothesis here
    rather than schemathesis's pytest loader, whose fixture support does not run on pytest 9.)"""
    generation = schemathesis.GenerationMode(mode)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=generation))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            case.call_and_validate(headers={"X-API-Key": key})

        check()
