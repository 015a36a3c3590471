"""Baseline servers measured beside Puente in the same run, served by the same uvicorn settings."""
