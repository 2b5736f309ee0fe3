"""Schemathesis over every app's OpenAPI document (bounded examples): no 5xx, and every response conforms to the
document that app publishes (status codes, content types, bodies)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from mock_apps.core.registry import app_spec
from mock_apps.core.settings import APP_NAMES
from mock_apps.core.world import WorldRegistry

EXAMPLES = 8  # per operation: sized for CI
AUTH = {"Authorization": "Bearer xoxp-dana.whitfield"}  # accepted by every app that checks a bearer token
FUZZ_WORLD = "fuzz-openapi"


@schemathesis.serializer("application/text")
def _application_text(context, value) -> bytes:
    """QuickBooks' query endpoint takes its query as an application/text body (as python-quickbooks sends it)."""
    return value if isinstance(value, bytes) else str(value).encode()


CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance, schemathesis.checks.response_schema_conformance]


def fuzz(base: str, openapi_url: str, examples: int = EXAMPLES, derandomize: bool = False) -> tuple[int, list[str]]:
    """Fuzz every operation of one OpenAPI document against a base URL: (requests sent, failures described)."""
    schema = schemathesis.openapi.from_url(openapi_url)
    schema.config.update(base_url=base)
    sent, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal sent
            sent += 1
            case.call_and_validate(headers=AUTH, timeout=30, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # every operation is tried; failures reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {_describe(error)}")
    return sent, failures


@pytest.mark.slow
@pytest.mark.parametrize("app", APP_NAMES)
def test_api_matches_its_openapi_document_under_fuzzing(sandbox, app):
    WorldRegistry.for_settings(sandbox.settings).reset(FUZZ_WORLD)
    # derandomized: the suite's examples are the same on every run (the bench draws new ones)
    sent, failures = fuzz(f"{sandbox.url(app)}/w/{FUZZ_WORLD}", f"{sandbox.url(app)}{app_spec(app).openapi_path}",
                          derandomize=True)
    assert sent > 0
    assert not failures, "\n\n".join(failures)


def _describe(error: BaseException) -> str:
    """A failure's kinds and first lines (schemathesis groups them)."""
    parts = [str(e).splitlines()[0] + " | " + " ".join(str(e).split())[:400]
             for e in getattr(error, "exceptions", [error])]
    return "; ".join(parts)
