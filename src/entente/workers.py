"""What ``entente serve --workers`` tells each server process it starts: a process is given an import path,
not arguments, so its store, its union, how many there are and the file they start by go in the environment.

Kept apart from the application, so the command that starts the processes does not import the web framework.
"""

from __future__ import annotations

DB_VARIABLE, UNION_VARIABLE = "ENTENTE_SERVE_DB", "ENTENTE_SERVE_UNION"
WORKERS_VARIABLE, START_VARIABLE = "ENTENTE_SERVE_WORKERS", "ENTENTE_SERVE_START"
CHECK_VARIABLE = "ENTENTE_SERVE_CHECK"  # the file of the record's check made by a process of its own, if one is
APP = "entente.server:from_environment"  # the factory each process calls for its app
