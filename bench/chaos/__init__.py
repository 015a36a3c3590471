"""The reliability suite (issue 14): `python -m bench.chaos`, loopback only, bounded in time.

Each scenario is a module: kill -9 of the server mid-load (kill.py), a PostgreSQL outage and
connections killed mid-turn on a private throwaway PostgreSQL (outage.py), duplicate storms
(storms.py), fuzzed payloads (fuzz.py), two servers as two machines on one PostgreSQL
(machines.py), the login hammered (login.py), SQLite's write lock held by another process
(sqlite_lock.py), delete-my-data and a scan of the tables and files (deletion.py). What they
share (the private PostgreSQL, the servers, the fake platforms, the ledger of updates and
replies) is in harness.py and ledger.py. Results and commands: docs/reliability.md."""
