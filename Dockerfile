# The Newsroom image: the app, its locked dependencies and its collected static files, run as a non-root
# user. docker-compose.yml builds it for web and worker; nothing is installed when a container starts.
#   docker build -t newsroom .

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build: a virtualenv from the hashed lock file, then the static files collected from the app.
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
COPY requirements.lock /tmp/requirements.lock
# Every package pinned and checked against its hash; --no-deps: nothing the lock does not name.
RUN /venv/bin/pip install --require-hashes --no-deps --only-binary=:all: -r /tmp/requirements.lock
WORKDIR /app
COPY . .
# collectstatic needs settings but no secrets and no database: a throwaway random key, used once.
RUN DJANGO_ENV=development STATIC_ROOT=/app/staticfiles \
    DJANGO_SECRET_KEY="$(/venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    /venv/bin/python manage.py collectstatic --no-input --verbosity 0 \
    && /venv/bin/python -m compileall -q /app

# Run: the same slim base with only the virtualenv and the app copied in.
FROM ${PYTHON_IMAGE}
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin newsroom \
    && mkdir -p /data/media \
    && chown newsroom:newsroom /data/media
COPY --from=build /venv /venv
# The code belongs to root and is read-only for the app; only the media folder is its to write.
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
VOLUME ["/data/media"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=3)"]
CMD ["gunicorn", "--config", "bench/gunicorn.conf.py", "newsroom.wsgi"]
