"""Schemathesis over the app's own OpenAPI schema: no 5xx, and every response matches the schema.

Every operation of the schema is fuzzed in positive and negative mode under four configurations: the read
token on and off, crossed with the default body caps and small ones (1 KB of JSON, a 2 KB file), so the
guard's refusals (401 before the body, 413 at the cap) are checked against the schema as well as the routes'
own answers. The app runs in-process (ASGI) over a database holding the bundled corpus; write routes get the
write token, read routes the read token when one is set (none otherwise), so both are exercised (a fuzzed
upload is almost always refused, a fuzzed DELETE may remove a corpus document — both are fine, the checks are
about responses). Examples are bounded and derandomised so the run is repeatable and quick.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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

from app.config import Settings
from app.db import make_engine, make_session_factory
from app.ingest.read.formats import ReadLimits
from app.ingest.store import ingest_path
from app.main import create_app
from app.migrate import upgrade
from app.phrasebank.service import rebuild_bank
from app.retrieve.service import rebuild_index
from tests.conftest import SEEDS

WRITE = "fuzz-write-token"
READ = "fuzz-read-token"
EXAMPLES = 10  # per operation, mode and configuration: 8 runs of 11 operations stay well under a minute
# Each call re-mines the whole bank (~0.5 s) and takes no input worth varying: a few calls suffice. Uploads
# each fork a parse child; tests/test_hostile_property.py sends them far more (and nastier) bytes.
FEWER_EXAMPLES = {"POST /phrases/rebuild": 1, "POST /documents": 5}
WRITES = {"POST /documents", "DELETE /documents/{document_id}", "POST /phrases/rebuild"}
# The whole API (the web pages are HTML forms outside the schema): a new route must be added here, and so fuzzed.
API_OPERATIONS = WRITES | {
    "GET /livez",
    "GET /healthz",
    "GET /documents",
    "GET /documents/{document_id}",
    "GET /phrases",
    "GET /phrases/{phrase_id}",
    "GET /search",
    "POST /draft",
}
CONFIGURATIONS: dict[str, dict[str, object]] = {
    "open": {},
    "read-token": {"read_token": READ},
    "small-caps": {"max_body_bytes": 1024, "max_file_bytes": 2048},
    "read-token-small-caps": {"read_token": READ, "max_body_bytes": 1024, "max_file_bytes": 2048},
}
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


def _seed(config: Settings) -> FastAPI:
    """The bundled corpus stored, mined and indexed under ``config`` (already migrated); the app over it."""
    factory = make_session_factory(engine := make_engine(config))
    for path in SEEDS:
        assert ingest_path(factory, path, ReadLimits()).status == "added"
    engine.dispose()
    app = create_app(config)
    rebuild_bank(app.state.session_factory)
    rebuild_index(app.state.session_factory, config, app.state.index_holder, workers=1)
    return app


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded SQLite data directory that each SQLite run copies: seeding costs ~2 s, a copy ~10 ms."""
    data_dir = tmp_path_factory.mktemp("fuzz-template")
    config = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'bigan.sqlite3'}")
    upgrade(config)
    _seed(config).state.engine.dispose()  # checkpoints the WAL, so the file alone holds the database
    return data_dir


@pytest.fixture(params=list(CONFIGURATIONS))
def fuzz_app(request: pytest.FixtureRequest, database_url: str, tmp_path: Path, sqlite_template: Path) -> FastAPI:
    data_dir = tmp_path / "fuzz-data"
    config = Settings(
        data_dir=data_dir,
        database_url=database_url,
        api_token=WRITE,
        max_ingest_seconds=10,
        **CONFIGURATIONS[request.param],
    )
    if not database_url.startswith("sqlite"):
        upgrade(config)
        return _seed(config)
    shutil.copytree(sqlite_template, data_dir)
    return create_app(config.model_copy(update={"database_url": f"sqlite:///{data_dir / 'bigan.sqlite3'}"}))


def _operations(app: FastAPI) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _headers(app: FastAPI, label: str) -> dict[str, str]:
    token = WRITE if label in WRITES else app.state.settings.read_token
    return {"Authorization": f"Bearer {token}"} if token else {}


def fuzz(operation: schemathesis.APIOperation, mode: GenerationMode, seen: set[int], headers: dict[str, str]) -> None:
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
        seen.add(case.call_and_validate(headers=headers, checks=CHECKS).status_code)

    check()


# schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) breaks on pytest 9.2 (it sets
# a private node attribute pytest no longer has), so each operation gets a plain Hypothesis test here.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(fuzz_app: FastAPI, mode: GenerationMode) -> None:
    failures: dict[str, str] = {}
    statuses: dict[str, set[int]] = {}
    operations = _operations(fuzz_app)
    for operation in operations:
        try:
            fuzz(operation, mode, statuses.setdefault(operation.label, set()), _headers(fuzz_app, operation.label))
        except Unsatisfiable:
            # No inputs, so no invalid ones (GET /healthz in negative mode): nothing to test.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as error:  # collect every operation's failure, not just the first
            failures[operation.label] = str(error)
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
    assert {operation.label for operation in operations} == API_OPERATIONS  # every route in the schema
    if mode is GenerationMode.POSITIVE:  # the tokens got requests through, not just 401s
        assert 200 in statuses["POST /phrases/rebuild"]
        assert statuses["POST /documents"] - {401}
        assert 200 in statuses["GET /documents"] and 200 in statuses["GET /search"]
