"""Vacancies: import, search (from the chat and the command line), alerts and reports."""
