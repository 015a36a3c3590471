"""Work that happens later, on procrastinate's job queue: the outbox's next tries, the vacancy
alert schedule, pruning. On PostgreSQL the queue lives in the database (every worker on every
machine shares it); on SQLite (one process) the same tasks run in process (process.py)."""
