"""Never a 5xx from input: real Telegram updates and Twilio forms with fields replaced, removed
or nested, posted with the right secret or signature to the served webhooks, on both
backends. The platforms retry a 5xx for hours; anything they never send is a 400, and an odd
but valid update a 200."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from tests.channels.drivers import TelegramUser, WhatsAppUser, load_form, load_update

# Bounded in the suite; bench/chaos posts 10,000 per webhook.
EXAMPLES = 150
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

UPDATES = ["text.json", "callback_query.json", "start_deep_link.json", "photo.json", "location.json",
           "my_chat_member_kicked.json", "group_message.json", "edited_message.json"]
FORMS = ["text.form", "button.form", "image.form", "location.form", "list.form"]

odd_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["\x00", "a\x00b", "🙂" * 50, "x" * 5000, "", " ", "/start \x00", "-1", "1e309", "99999999999999999999"]
)
odd_number = st.integers(min_value=-(2**70), max_value=2**70) | st.sampled_from(
    [0, -1, 2**31, 2**63, 10**30, 253402300800, -62135596801]
)
leaf = st.none() | st.booleans() | odd_number | st.floats(allow_nan=False) | odd_text
json_value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
                          max_leaves=6)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


@st.composite
def telegram_updates(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["mutated", "mutated", "mutated", "nested", "raw"]))
    if kind == "nested":
        depth = draw(st.sampled_from([100, 1000, 5000]))
        return (b'{"update_id": 1, "message": ' + b"[" * depth + b"]" * depth + b"}")
    if kind == "raw":
        return json.dumps(draw(json_value)).encode()
    update = copy.deepcopy(load_update(draw(st.sampled_from(UPDATES))))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(update)))
        holder = update
        for step in where[:-1]:
            holder = holder[step]
        if draw(st.booleans()) and isinstance(holder, dict):
            holder.pop(where[-1], None)
        else:
            holder[where[-1]] = draw(json_value)
        if not isinstance(update, dict):
            break
    return json.dumps(update).encode()


@st.composite
def twilio_forms(draw: st.DrawFn) -> dict[str, str]:
    form = load_form(draw(st.sampled_from(FORMS)))
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from([*form, "ButtonPayload", "Latitude", "NumMedia", "ReferralBody"]))
        if draw(st.integers(0, 4)) == 0:
            form.pop(key, None)
        else:
            form[key] = draw(odd_text)
    return form


def test_fuzzed_telegram_updates_never_get_a_5xx(channel_app: App, telegram_user: TelegramUser) -> None:
    @SETTINGS
    @given(body=telegram_updates())
    def post(body: bytes) -> None:
        response = telegram_user.post({}, raw=body)
        assert response.status_code < 500, (response.status_code, body[:120])
        assert "Traceback" not in response.text

    post()
    # The keep-alive connection is still good: an ordinary update is answered.
    assert telegram_user.post(telegram_user.update("text.json", text="hola")).status_code == 200


def test_fuzzed_twilio_forms_never_get_a_5xx(channel_app: App, whatsapp_user: WhatsAppUser) -> None:
    @SETTINGS
    @given(form=twilio_forms(), path=st.sampled_from(["/webhooks/whatsapp", "/webhooks/whatsapp/status"]))
    def post(form: dict[str, str], path: str) -> None:
        try:
            response = whatsapp_user.post(form, path=path)
        except Exception:  # noqa: BLE001 - the driver reads TwiML; a 200 that is not TwiML fails below
            raise
        assert response.status_code < 500, (response.status_code, sorted(form.items())[:12])
        assert "Traceback" not in response.text

    post()
    assert whatsapp_user.post(whatsapp_user.form("text.form", Body="hola")).status_code == 200


@pytest.mark.parametrize("body", [
    b'{"update_id": 5, "message": {"message_id": 1, "date": 99999999999999999999, "chat": {"id": 1, "type": "private"}, "text": "hola"}}',
    b'{"update_id": 5, "message": {"message_id": 1, "date": 1, "chat": "nope", "from": 3, "text": "hola"}}',
    b'{"update_id": 5, "callback_query": {"id": 3, "from": [], "data": {"a": 1}}}',
    b'{"update_id": 5, "message": ' + b"[" * 1000 + b"]" * 1000 + b"}",
])
def test_the_payloads_that_broke_it_get_a_400(telegram_user: TelegramUser, body: bytes) -> None:
    assert telegram_user.post({}, raw=body).status_code == 400


def test_a_nul_in_a_twilio_id_is_a_400(whatsapp_user: WhatsAppUser) -> None:
    for field in ("MessageSid", "From"):
        assert whatsapp_user.post(whatsapp_user.form("text.form", **{field: "SM\x00x"})).status_code == 400
    status = load_form("status_delivered.form")
    status["MessageSid"] = "SM\x00"
    assert whatsapp_user.post(status, path="/webhooks/whatsapp/status").status_code == 400
    # In the text it is only an odd message: answered kindly.
    assert whatsapp_user.post(whatsapp_user.form("text.form", Body="ho\x00la")).status_code == 200
