# Bigan 笔杆 — multi-stage image: build wheels once, run as a non-root user, migrate on start.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[postgres]'

FROM python:3.11-slim
# PYTHONPATH puts the source tree first so the app finds alembic/, corpus/ and phrasebank/ beside it.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 BIGAN_DATA_DIR=/data PYTHONPATH=/opt/bigan
# LibreOffice reads .doc/.wps/.odt/.rtf; Tesseract (simplified and traditional Chinese) and pdftoppm read scanned PDFs.
RUN apt-get update \
  && apt-get install -y --no-install-recommends libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim \
     tesseract-ocr-chi-tra poppler-utils \
  && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 bigan && mkdir -p /data && chown bigan /data
WORKDIR /opt/bigan
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
# Migrations, lexicons, templates and the bundled corpus are read from the source tree next to the package.
COPY alembic.ini ./
COPY alembic ./alembic
COPY corpus ./corpus
COPY phrasebank ./phrasebank
COPY templates ./templates
COPY app ./app
USER bigan
# Bake the bundled corpus, its phrase bank and a pre-built passage index into /data (the default SQLite
# deployment starts answering at once). The marker lets the start command drop them when DATABASE_URL
# points elsewhere: an index built from the baked SQLite passages must never answer for another database.
RUN bigan db upgrade && bigan ingest corpus && touch /data/.baked
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Migrations on every start (Alembic is the only path that changes the schema); the corpus is loaded only
# into an empty database; a failed corpus load does not stop the service from starting.
CMD ["sh", "-c", "if [ -n \"$DATABASE_URL\" ] && [ -f /data/.baked ]; then rm -rf /data/index /data/bigan.sqlite3* /data/.baked; fi; bigan db upgrade && { bigan ingest --if-empty corpus || true; } && exec bigan serve --host 0.0.0.0 --port 8000"]
