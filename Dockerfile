# sitrep container image: one image for the API (`sitrep serve`), the worker
# (`sitrep worker`) and the one-shot migrate job (`sitrep db upgrade && sitrep db seed`).

# ---- builder: wheels for the pinned dependencies and for sitrep itself
FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements.lock pyproject.toml README.md ./
RUN pip wheel --wheel-dir /wheels -r requirements.lock
COPY api ./api
COPY schema ./schema
COPY ingest ./ingest
COPY sitrep ./sitrep
RUN pip wheel --no-deps --wheel-dir /wheels .

# ---- final: a virtualenv with the wheels, the migrations and seed data, non-root
FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DATABASE_URL=sqlite+aiosqlite:////data/sitrep.db
RUN python -m venv /opt/venv \
    && groupadd --system sitrep && useradd --system --gid sitrep --home-dir /app sitrep \
    && mkdir -p /app /data && chown sitrep:sitrep /data
COPY --from=builder /wheels /wheels
RUN pip install --no-index --find-links /wheels /wheels/*.whl && rm -rf /wheels
WORKDIR /app
# schema.migrate finds alembic/ in the working directory; `sitrep db seed` reads seeds/.
COPY alembic.ini ./
COPY alembic ./alembic
COPY seeds ./seeds
USER sitrep
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]
CMD ["sitrep", "serve", "--host", "0.0.0.0", "--port", "8000"]
