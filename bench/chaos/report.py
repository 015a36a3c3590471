"""The suite's figures as a Markdown table: one row per run, the figures the issue asks for
first (what must be 0, or 100%), then what explains them."""

from __future__ import annotations

from typing import Any

# Per scenario: (column, key) pairs printed in this order.
FIGURES: dict[str, list[tuple[str, str]]] = {
    "kill": [("acknowledged then lost", "acknowledged_then_lost"), ("stored, never answered", "stored_never_answered"),
             ("duplicate replies", "duplicate_replies"), ("answered late", "answered_late"), ("latest s", "latest_s"),
             ("sends cut by the kill", "sends_cut_by_the_kill"), ("over attempts", "answered_over_attempts"),
             ("updates", "updates"), ("redelivered", "redelivered"), ("restart s", "restart_s")],
    "outage": [("acknowledged then lost", "acknowledged_then_lost"), ("stored, never answered", "stored_never_answered"),
               ("duplicate replies", "duplicate_replies"), ("answered late", "answered_late"), ("latest s", "latest_s"),
               ("over attempts", "answered_over_attempts"), ("200 with the apology", "apologies_200"),
               ("updates", "updates"), ("statuses", "statuses"), ("admin while down", "admin_while_down")],
    "connections": [("200-but-lost (apology)", "apologies_200"), ("acknowledged then lost", "acknowledged_then_lost"),
                    ("stored, never answered", "stored_never_answered"), ("duplicate replies", "duplicate_replies"),
                    ("answered late", "answered_late"), ("latest s", "latest_s"),
                    ("over attempts", "answered_over_attempts"),
                    ("updates", "updates"), ("connections killed", "connections_killed"), ("statuses", "statuses")],
    "storm": [("extra replies", "extra_replies"), ("never answered", "never_answered"), ("5xx", "copies_5xx"),
              ("updates", "updates"), ("copies", "copies"), ("stored", "stored"),
              ("status callbacks counted", "status_counted"), ("distinct", "status_distinct")],
    "fuzz": [("5xx", "5xx"), ("no answer", "no_answer"), ("payloads", "payloads"), ("statuses", "statuses"),
             ("mutations behind 5xx", "mutations_behind_5xx")],
    "machines": [("skipped:", "skipped"), ("bursts in order", "bursts_in_order"), ("bursts", "bursts"),
                 ("out-of-order turns per burst", "out_of_order_turns"),
                 ("posted out of order", "posted_out_of_order"),
                 ("registrations right", "registrations_right"), ("of", "registrations"), ("statuses", "statuses")],
    "login": [("webhook p99 ratio", "p99_ratio"), ("p99 quiet ms", "webhook_p99_quiet_ms"),
              ("p99 attacked ms", "webhook_p99_attacked_ms"), ("p50 quiet ms", "webhook_p50_quiet_ms"),
              ("p50 attacked ms", "webhook_p50_attacked_ms"), ("login tries", "login_tries")],
    "sqlite_lock": [("longest /healthz s", "healthz_longest_s"), ("lock held s", "hold_s"),
                    ("turn status", "turn_status"), ("turn waited s", "turn_waited_s")],
    "deletion": [("tables after", "tables_after"), ("files while running", "files_while_running"),
                 ("files after stop", "files_after_stop"), ("registered", "registered"), ("deleted", "deleted")],
}


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return " ".join(_value(v) for v in value) or "none"
    return str(value)


def figures(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"ERROR {result['error']}"
    keys = FIGURES.get(result.get("scenario", ""), [])
    shown = [f"{name} {_value(result[key])}" for name, key in keys if key in result]
    if "channel" in result:
        shown.insert(0, result["channel"])
    return "; ".join(shown)


def render(data: dict[str, Any]) -> str:
    lines = [f"Reliability suite, {data['machine']['date']} ({data['machine']['cores']} cores, "
             f"{data['minutes']} min): {data['command']}", "",
             "| run | figures | s |", "|---|---|---|"]
    for result in data["results"]:
        lines.append(f"| {result.get('label', '')} | {figures(result)} | {result.get('seconds', '')} |")
    return "\n".join(lines)
