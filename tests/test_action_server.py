"""The same actions answer a Rasa deployment: `python -m rasa_sdk --actions actions`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.settings import PROJECT_ROOT
from tests.support.databases import sqlite_template


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_rasa_sdk_server_runs_our_action(tmp_path: Path) -> None:
    port = free_port()
    # Actions that read the database build it from the environment under the rasa-sdk server.
    database = sqlite_template(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DATABASE_URL": f"sqlite:///{database}"}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        # One client for every try (a new one per try loaded the CA bundle again, ~20 ms).
        with httpx.Client(timeout=1, verify=False) as probe:
            while True:
                try:
                    if probe.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None, (tmp_path / "server.log").read_text(errors="replace")
                assert time.monotonic() < deadline, "the action server did not start"
                time.sleep(0.05)
        actions = httpx.get(f"http://127.0.0.1:{port}/actions", timeout=5).json()
        assert {"name": "action_show_my_data"} in actions
        body = {
            "next_action": "action_show_my_data",
            "sender_id": "42",
            "tracker": {
                "sender_id": "42",
                "slots": {"language": "ht"},
                "latest_message": {"text": "done mwen", "metadata": {"channel": "telegram"}},
                "events": [],
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": "action_listen",
            },
            "domain": {"forms": {}, "slots": {}, "responses": {}},
        }
        answer = httpx.post(f"http://127.0.0.1:{port}/webhook", json=body, timeout=10)
        assert answer.status_code == 200
        responses = answer.json()["responses"]
        assert [r.get("response") for r in responses] == ["my_data_header", "my_data_language", "my_data_channel"]
        assert responses[1]["value"] == "Kreyòl Ayisyen"
        assert responses[2]["value"] == "Telegram"
        # An action that reads a data file of the content pack loads it from CONTENT_DIR.
        body["next_action"] = "action_support_places"
        body["tracker"]["slots"] = {"language": "en", "support_kind": "job", "profile_state": "07"}
        answer = httpx.post(f"http://127.0.0.1:{port}/webhook", json=body, timeout=30)
        assert answer.status_code == 200
        responses = answer.json()["responses"]
        assert [r.get("response") for r in responses][:3] == [
            "support_national", "support_place", "data.support_places.sne.offers",
        ]
        # A form validation action speaks Rasa's protocol: the candidate is the latest slot event.
        form = {**body, "next_action": "validate_registration_form"}
        form["tracker"] = {
            **body["tracker"],
            "slots": {"language": "es", "requested_slot": "reg_curp"},
            "latest_message": {"text": "hegg 560427 mvzrrl05", "metadata": {"language": "es"}},
            "events": [{"event": "active_loop", "name": "registration_form"},
                       {"event": "slot", "name": "reg_curp", "value": "hegg 560427 mvzrrl05"}],
            "active_loop": {"name": "registration_form"},
        }
        form["domain"] = {"forms": {"registration_form": {"required_slots": ["reg_curp"]}}}
        refused = httpx.post(f"http://127.0.0.1:{port}/webhook", json=form, timeout=10).json()
        assert [r.get("response") for r in refused["responses"]] == ["reg_curp_checksum"]
        assert {"event": "slot", "name": "reg_curp", "value": None} in [
            {k: e.get(k) for k in ("event", "name", "value")} for e in refused["events"]
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
