"""The ASGI web app: webhooks, health, metrics and the staff admin."""
