"""Action case files (tests/actions/<action>.yaml): reading them, their rows, running one case.

A file names its action and lists cases. A case is what the action sees (slots, the user's text,
language, channel, phone, the requested slot of a form) and what is in the database (`given`),
then what the user would notice (`expect`): the slots set, the messages by response name, the
words they read in their language, the rows kept. Each case runs through the real ActionBridge
inside a transaction that is rolled back, so the cases of a file do not see each other.

    action: action_vacancy_detail
    cases:
      - name: a stale card says the offer is gone
        slots: {vacancy_pick: v999999}
        expect:
          slots: {vacancy_next: gone}
          responses: [vacancy_gone]
          says: ["ya no está disponible"]

Case keys: name, language (es), slots (a value may be a paste too), text (or a long paste:
{repeat: str, times: n}), requested_slot and
candidate (the text, by default) for validate_* actions, channel (telegram), phone, contact
(true: the sender is a contact), given: {vacancies: [offer fields], registration: {fields},
alerts: [search], reports: [{vacancy, reason}]}. In slots and expectations "$id:<external_id>"
is the database id of that given vacancy.
Expect keys: responses (required: every named message, in order), slots (these slot events and
values; a value {like: regex}, {contains: [items]} or {length: n} matches loosely), unchanged
(slots the action must not set), values ({response: {placeholder: value}}), texts (fragments of
the data lines sent as text), says (fragments of everything the user reads, rendered in the
case's language), rows ({table: count} after the action).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, func, select, table

from bot.action_bridge import ActionBridge
from bot.engine import ActionCall, ActionResult, CompiledContent
from bot.engine.render import Renderer
from bot.i18n import Formatter
from bot.days import mexico_today
from bot.vacancies.importer import import_rows
from bot.vacancies.spec import SearchSpec
from db import contacts as contact_store
from db import registrations as registration_store
from db.database import Database
from db.vacancies.alerts import add_alert
from db.vacancies.flags import add_flag
from db.vacancies.tables import vacancies
from tests.vacancies.fixtures import offer

CASES_DIR = Path(__file__).parent
CASE_KEYS = {
    "name", "language", "slots", "text", "requested_slot", "candidate", "channel", "phone", "contact",
    "given", "expect",
}
GIVEN_KEYS = {"vacancies", "registration", "alerts", "reports"}
EXPECT_KEYS = {"responses", "slots", "unchanged", "values", "texts", "says", "rows"}
SENDER = "case-user"
NOT_A_CONTACT = "someone"  # a sender id that is no contact id (Rasa's own senders)
_ID = re.compile(r"\$id:([\w-]+)")

# A registration as the form saves it; a case's `given.registration` changes some fields.
REGISTRATION = {
    "full_name": "Ana Pérez Gómez", "birth_date": "1990-04-27", "nationality": "HN", "document": "tvrh",
    "curp": None, "phone": "+525512345678", "state": "07", "municipality": "Tapachula", "education": "secondary",
    "trades": ["cooking"], "sinco": ["5"], "occupation_text": "Cocinera", "experience_years": 3,
    "languages": ["es"], "willing_to_relocate": True, "chat_language": "es", "consent_version": "2026-11-1",
    "consent_at": "2026-11-20T10:00:00+00:00",
}


@dataclass(frozen=True)
class CaseFile:
    path: Path
    action: str
    cases: list[dict[str, Any]]


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


def read_case_file(path: Path) -> CaseFile:
    """The file's cases; AssertionError naming the file and case when one is malformed."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path.name}: a mapping with `action` and `cases`"
    assert document.get("action") == path.stem, f"{path.name}: `action: {path.stem}` (the file is named after it)"
    cases = document.get("cases")
    assert isinstance(cases, list) and cases, f"{path.name}: `cases` is a non-empty list"
    names = [case.get("name") for case in cases]
    assert len(set(names)) == len(names) and all(names), f"{path.name}: every case has its own `name`"
    for case in cases:
        where = f"{path.name}: {case['name']}"
        assert not set(case) - CASE_KEYS, f"{where}: unknown keys {sorted(set(case) - CASE_KEYS)}"
        assert not set(case.get("given") or {}) - GIVEN_KEYS, f"{where}: unknown `given` keys"
        expect = case.get("expect")
        assert isinstance(expect, dict) and "responses" in expect, f"{where}: `expect` needs `responses`"
        assert not set(expect) - EXPECT_KEYS, f"{where}: unknown `expect` keys {sorted(set(expect) - EXPECT_KEYS)}"
    return CaseFile(path, document["action"], cases)


def run_case(
    case: Mapping[str, Any], action: str, bridge: ActionBridge, db: Database, content: CompiledContent,
    loop: asyncio.AbstractEventLoop,
) -> None:
    """One case in a rolled-back transaction; AssertionError says what the user would notice."""
    language = case.get("language", "es")
    channel = case.get("channel", "telegram")
    with db.rolled_back() as conn:
        now = dt.datetime.now(dt.UTC)
        contact = None
        if case.get("contact", True):
            contact = contact_store.find_or_create_contact(conn, channel, SENDER, now).id
        ids = give(conn, db, case.get("given") or {}, contact, now)
        text = typed(case.get("text", ""))
        requested = case.get("requested_slot")
        slots = {name: typed(value) if _is_paste(value) else value for name, value in (case.get("slots") or {}).items()}
        call = ActionCall(
            action, with_ids(slots, ids), language, text=text, requested_slot=requested,
            candidate=typed(case.get("candidate", text)) if requested else None,
        )
        sender = str(contact) if contact is not None else NOT_A_CONTACT
        result = loop.run_until_complete(bridge.run(call, sender, channel, case.get("phone")))
        expect = with_ids(case["expect"], ids)
        check(expect, result, call, content)
        for name, count in (expect.get("rows") or {}).items():
            found = conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            assert found == count, f"{name}: {found} rows, expected {count}"


def typed(text: Any) -> str:
    """The user's text: as written, or {repeat, times} for a long paste."""
    if _is_paste(text):
        return str(text["repeat"]) * int(text["times"])
    return str(text)


def _is_paste(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"repeat", "times"}


def give(conn: Connection, db: Database, given: Mapping[str, Any], contact: int | None,
         now: dt.datetime) -> dict[str, int]:
    """The case's rows; returns the ids of the given vacancies by external id."""
    today = mexico_today()
    records = [_offer(raw, today) for raw in given.get("vacancies") or ()]
    if records:
        report = import_rows(db, [(n + 1, r) for n, r in enumerate(records)], today=today, now=now)
        assert not report.errors, report.errors
    ids = {row.external_id: row.id for row in conn.execute(select(vacancies.c.id, vacancies.c.external_id))}
    if given.get("registration") is not None:
        assert contact is not None, "a registration belongs to a contact"
        fields = {**REGISTRATION, **given["registration"]}
        fields["birth_date"] = dt.date.fromisoformat(fields["birth_date"])
        fields["consent_at"] = dt.datetime.fromisoformat(fields["consent_at"])
        registration_store.save(conn, contact, registration_store.Registration(**fields), now)
    for search in given.get("alerts") or ():
        assert contact is not None, "an alert belongs to a contact"
        spec = SearchSpec.from_json(search)
        assert add_alert(conn, contact, spec.to_json(), spec.key(), now) == "added"
    for report_row in given.get("reports") or ():
        add_flag(conn, ids[report_row["vacancy"]], contact, report_row["reason"], now)
    return ids


def _offer(raw: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """An import record: published yesterday, open for 30 days, unless the case says otherwise."""
    fields = dict(raw)
    published = today - dt.timedelta(days=int(fields.pop("published_days_ago", 1)))
    expires = today + dt.timedelta(days=int(fields.pop("expires_in_days", 30)))
    record = offer(fields.pop("external_id"), fields.pop("title"), fields.pop("state"), **fields)
    record.update(published_on=published.isoformat(), expires_on=expires.isoformat())
    return record


def with_ids(value: Any, ids: Mapping[str, int]) -> Any:
    """"$id:c1" -> the id of vacancy c1 (an int when that is the whole string)."""
    if isinstance(value, str):
        whole = _ID.fullmatch(value)
        if whole:
            return ids.get(whole.group(1), -1)
        return _ID.sub(lambda m: str(ids.get(m.group(1), -1)), value)
    if isinstance(value, list):
        return [with_ids(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: with_ids(v, ids) for k, v in value.items()}
    return value


def check(expect: Mapping[str, Any], result: ActionResult, call: ActionCall, content: CompiledContent) -> None:
    named = [r.get("response") or r.get("template") for r in result.responses]
    named = [name for name in named if name]
    assert named == list(expect["responses"]), f"responses {named}, expected {expect['responses']}"
    for name in named:
        assert name in content.responses, f"response {name!r} is in no flow: the user would read nothing"
    set_slots = dict(result.slots)
    for slot, wanted in (expect.get("slots") or {}).items():
        assert slot in set_slots, f"slot {slot} not set (set: {sorted(set_slots)})"
        assert matches(set_slots[slot], wanted), f"slot {slot} = {set_slots[slot]!r}, expected {wanted!r}"
    for slot in expect.get("unchanged") or ():
        assert slot not in set_slots, f"slot {slot} set to {set_slots[slot]!r}, expected unchanged"
    for name, values in (expect.get("values") or {}).items():
        sent = next((r for r in result.responses if (r.get("response") or r.get("template")) == name), {})
        for key, wanted in values.items():
            assert matches(sent.get(key), wanted), f"{name}.{key} = {sent.get(key)!r}, expected {wanted!r}"
    lines = [str(r["text"]) for r in result.responses if r.get("text") and not r.get("response")]
    for fragment in expect.get("texts") or ():
        assert any(fragment in line for line in lines), f"no text line contains {fragment!r}: {lines}"
    if expect.get("says"):
        read = rendered(result, call, content)
        for fragment in expect["says"]:
            assert fragment in read, f"the user reads {read!r}, without {fragment!r}"


def rendered(result: ActionResult, call: ActionCall, content: CompiledContent) -> str:
    """Everything the user reads, in the case's language, as the engine renders action messages."""
    render = Renderer(content, Formatter(), call.language)
    out = []
    for response in result.responses:
        name = response.get("response") or response.get("template")
        values = {**call.slots, **{k: v for k, v in response.items() if v is not None}}
        out.append(render.text(content.responses[name], values) if name in content.responses
                   else str(response.get("text") or ""))
    return "\n".join(out)


MATCHERS = ("like", "contains", "length")


def matches(value: Any, wanted: Any) -> bool:
    """Equal (dicts and lists item by item, True is not 1), or one of the loose MATCHERS."""
    if isinstance(wanted, dict) and len(wanted) == 1 and next(iter(wanted)) in MATCHERS:
        kind, pattern = next(iter(wanted.items()))
        if kind == "like":
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
            return re.fullmatch(str(pattern), text, re.DOTALL) is not None
        if kind == "length":
            return isinstance(value, (list, str)) and len(value) == pattern
        return isinstance(value, list) and all(any(matches(item, p) for item in value) for p in pattern)
    if isinstance(wanted, dict):
        return isinstance(value, dict) and set(wanted) == set(value) and all(
            matches(value[k], v) for k, v in wanted.items())
    if isinstance(wanted, list):
        return isinstance(value, list) and len(value) == len(wanted) and all(
            matches(v, w) for v, w in zip(value, wanted))
    if isinstance(wanted, bool) or isinstance(value, bool):
        return value is wanted
    return bool(value == wanted)
