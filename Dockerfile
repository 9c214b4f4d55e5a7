# The bot's image: the pinned runtime dependencies (requirements.txt), then the project itself.
#   docker build -t postmortem .
#   docker run --env-file .env postmortem          # one process, SQLite inside the container (lost with it)
# Several processes sharing PostgreSQL: docker-compose.yml and docs/deploy.md.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libpq, for psycopg (POSTMORTEM_DATABASE_URL) when the installed psycopg is not the wheel that bundles its own.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when requirements.txt changes. requirements.txt is the full pinned
# set (`make requirements`), hence --no-deps below; `pip check` fails the build when it lacks something that
# pyproject.toml asks for (a dependency added there without regenerating requirements.txt).
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
RUN pip install --no-deps . && pip check

# A user of its own; it may write only .postmortem/ (the Notion cache, and the SQLite default without a database URL).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin postmortem \
    && mkdir -p /app/.postmortem \
    && chown postmortem:postmortem /app/.postmortem
USER 10001

# Socket Mode when SLACK_APP_TOKEN is set, else HTTP on $PORT (/slack/events). /healthz answers on $PORT in both
# modes (Socket Mode serves it only when PORT is set, hence the default here; platforms that set PORT override it).
ENV PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${PORT:-3000}/healthz', timeout=4)" || exit 1

# SIGTERM stops it in order within 8 s (app.py); Docker's default stop timeout is 10 s.
CMD ["python", "app.py"]
