"""/metrics: open without METRICS_TOKEN (as before), behind a bearer token with it."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from bot.app import App
from bot.web.app import create_web_app


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_metrics_open_without_a_token_and_guarded_with_one(channel_app: App) -> None:
    with TestClient(create_web_app(channel_app)) as web:
        assert web.get("/metrics").status_code == 200
    channel_app.settings = dataclasses.replace(channel_app.settings, metrics_token="s3cret-scraper-token")
    with TestClient(create_web_app(channel_app)) as web:
        assert web.get("/metrics").status_code == 401
        assert web.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        page = web.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"})
        assert page.status_code == 200 and "puente_turns_total" in page.text
