"""Several bot processes on one PostgreSQL (POSTMORTEM_DATABASE_URL): the schema, shared delivery keys, the queue."""
