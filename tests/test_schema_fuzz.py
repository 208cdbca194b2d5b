"""Schemathesis over the app's own OpenAPI schema: no 5xx, and every response matches the schema.

The app runs in-process (ASGI) over a database holding the bundled corpus, with both tokens set; the
requests carry the write token, so write routes are exercised too (a fuzzed upload is almost always
refused, a fuzzed DELETE may remove a corpus document — both are fine, the checks are about responses).
Examples are bounded and derandomised so the run is repeatable and quick.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.ingest.read.formats import ReadLimits
from app.ingest.store import ingest_path
from app.main import create_app
from app.phrasebank.service import rebuild_bank
from app.retrieve.service import rebuild_index
from tests.conftest import SEEDS

WRITE = "fuzz-write-token"
READ = "fuzz-read-token"
AUTH = {"Authorization": f"Bearer {WRITE}"}
EXAMPLES = 30  # per operation and mode
# Each call re-mines the whole bank (~0.5 s) and takes no input worth varying: a few calls suffice.
FEWER_EXAMPLES = {"POST /phrases/rebuild": 3}
# No 5xx, and every response (status, content type, headers, body) as the schema declares it. Left out on
# purpose: positive_data_acceptance / negative_data_rejection. A schema cannot say "a Chinese document" or
# "not only spaces", so schema-valid uploads and queries are still refused (413/415/422) by design, and
# unknown query parameters are ignored, as web APIs customarily do, rather than refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz_app(migrated: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    config = Settings(
        data_dir=migrated.data_dir,
        database_url=migrated.database_url,
        api_token=WRITE,
        read_token=READ,
        max_ingest_seconds=10,
    )
    for path in SEEDS:
        assert ingest_path(session_factory, path, ReadLimits()).status == "added"
    app = create_app(config)
    rebuild_bank(app.state.session_factory)
    rebuild_index(app.state.session_factory, config, app.state.index_holder, workers=1)
    return app


def _operations(app: FastAPI) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation: schemathesis.APIOperation, mode: GenerationMode, seen: set[int]) -> None:
    """Run one operation's bounded, derandomised Hypothesis test; record the statuses it got."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=FEWER_EXAMPLES.get(operation.label, EXAMPLES),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        seen.add(case.call_and_validate(headers=AUTH, checks=CHECKS).status_code)

    check()


# schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) breaks on pytest 9.2 (it sets
# a private node attribute pytest no longer has), so each operation gets a plain Hypothesis test here.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(fuzz_app: FastAPI, mode: GenerationMode) -> None:
    failures: dict[str, str] = {}
    statuses: dict[str, set[int]] = {}
    for operation in _operations(fuzz_app):
        try:
            fuzz(operation, mode, statuses.setdefault(operation.label, set()))
        except Unsatisfiable:
            # No inputs, so no invalid ones (GET /healthz in negative mode): nothing to test.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as error:  # collect every operation's failure, not just the first
            failures[operation.label] = str(error)
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
    assert {"POST /documents", "DELETE /documents/{document_id}", "POST /phrases/rebuild", "GET /search"} <= set(
        statuses
    )
    if mode is GenerationMode.POSITIVE:  # the token got the writes through, not just 401s
        assert 200 in statuses["POST /phrases/rebuild"]
        assert statuses["POST /documents"] - {401}
