"""A reply whose send was cut off midway (the process killed while the platform held it, a send
that took too long): the platform may have it. After the reply's lease the outbox asks Twilio's
list of messages whether it took it, and sends it only if not; Telegram cannot be asked, so
there it is never sent again. And a reply Twilio did not take is tried again within seconds."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from bot.app import App
from bot.conversation import outbox as outbox_module
from bot.conversation.outbox import REPLY_LEASE
from bot.settings import PROJECT_ROOT
from db import claimants, outbound
from db.database import DatabaseUnavailable
from db.outbound import outbound_messages
from tests.channels.drivers import TelegramUser, WhatsAppUser
from tests.channels.fakes import FakePlatforms
from tests.channels.test_outbox import drain
from tests.channels.test_turn_answers import (  # noqa: F401 - quick: the fixture
    crash_after_commit, quick, reach_my_data, rest_sends, statuses,
)
from tests.support.clock import FakeClock


class Killed(BaseException):
    """kill -9 at that point: nothing after it runs, not even `except Exception`."""


def last_reply(app: App) -> dict[str, Any]:
    with app.db.transaction() as conn:
        found = conn.execute(select(outbound_messages).order_by(outbound_messages.c.id.desc())).mappings().first()
        assert found is not None
        return dict(found)


def send_killed(app: App, contact_id: int, monkeypatch: pytest.MonkeyPatch, *, after_the_platform: bool) -> None:
    """The outbox sends the contact's pending reply and the process dies: right after the
    platform took it (before it was written down), or while the request was on its way."""
    if after_the_platform:
        def killed(*args: Any, **kwargs: Any) -> None:
            raise Killed
        monkeypatch.setattr(outbound, "mark_sent", killed)
    else:
        async def never(*args: Any, **kwargs: Any) -> Any:
            raise Killed
        for port in app.channels.ports().values():
            monkeypatch.setattr(port, "send", never)

    async def main() -> None:
        try:
            with app.db.transaction() as conn:
                ids = [r.id for r in conn.execute(select(outbound_messages.c.id).where(
                    outbound_messages.c.contact_id == contact_id, outbound_messages.c.status == "pending"))]
            await app.outbox.send_reply(contact_id, ids)
        finally:
            await app.aclose()

    with pytest.raises(Killed):
        asyncio.run(main())
    monkeypatch.undo()
    assert last_reply(app)["status"] == "sending"


def contact_of(app: App) -> int:
    return int(last_reply(app)["contact_id"])


def cut_rest_reply(app: App, user: WhatsAppUser, monkeypatch: pytest.MonkeyPatch, *, after_the_platform: bool) -> int:
    reach_my_data(user)
    channel = app.channels.whatsapp
    assert channel is not None
    crash_after_commit(app, channel.parse(user.form("text.form", Body="mis datos")))
    before = len(rest_sends_of(user))
    send_killed(app, contact_of(app), monkeypatch, after_the_platform=after_the_platform)
    return before


def rest_sends_of(user: WhatsAppUser) -> list[dict]:  # type: ignore[type-arg]
    return rest_sends(user.platforms, user.user)


def test_a_cut_rest_reply_twilio_already_has_is_found_there_and_not_sent_again(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, user = quick
    before = cut_rest_reply(app, user, monkeypatch, after_the_platform=True)
    [taken] = rest_sends_of(user)[before:]  # Twilio took it; we never wrote that down
    clock.advance(REPLY_LEASE.total_seconds() - 5)
    drain(app)
    drain(app)
    assert last_reply(app)["status"] == "sending"  # its sender may still be at it: left alone
    assert not platforms.attempts("Messages.list")
    clock.advance(10)
    drain(app)
    drain(app)
    row = last_reply(app)
    assert (row["status"], row["external_id"]) == ("sent", taken["Sid"])
    assert len(rest_sends_of(user)) == before + 1  # not sent twice
    [asked] = platforms.attempts("Messages.list")
    assert asked.params["To"] == user.user


def ended_process() -> str:
    """The claimant name of a process of this machine that has ended (a server killed -9)."""
    child = subprocess.run([sys.executable, "-c", "from db import claimants; print(claimants.this())"],
                           capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    return child.stdout.strip()


def test_a_reply_cut_by_a_process_that_ended_is_looked_for_at_once_not_after_its_lease(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, user = quick
    before = cut_rest_reply(app, user, monkeypatch, after_the_platform=True)
    [taken] = rest_sends_of(user)[before:]
    cut = last_reply(app)
    assert cut["claimed_by"] == claimants.this()  # this process, still running: left alone
    drain(app)
    assert last_reply(app)["status"] == "sending" and not platforms.attempts("Messages.list")
    assert user.say("menu") == []  # the next turn's replies wait behind the cut one
    with app.db.transaction() as conn:  # as if the server that claimed it had been killed
        conn.execute(update(outbound_messages).where(outbound_messages.c.id == cut["id"])
                     .values(claimed_by=ended_process()))
    clock.advance(1)  # the next sweep, well within the reply's lease and the next turn's wait
    drain(app)
    drain(app)
    with app.db.transaction() as conn:
        row = conn.execute(select(outbound_messages).where(outbound_messages.c.id == cut["id"])).mappings().one()
        waiting = conn.execute(select(outbound_messages.c.id).where(outbound_messages.c.status != "sent")).all()
    assert (row["status"], row["external_id"]) == ("sent", taken["Sid"])  # found at Twilio, not sent again
    assert waiting == []  # and the next turn's replies followed it
    later = rest_sends_of(user)[before + 1:]
    assert later and all(sent is not taken for sent in later)


def test_a_cut_rest_reply_twilio_never_took_is_sent_once_after_its_lease(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, user = quick
    before = cut_rest_reply(app, user, monkeypatch, after_the_platform=False)
    assert len(rest_sends_of(user)) == before
    clock.advance(REPLY_LEASE.total_seconds() + 1)
    drain(app)
    drain(app)
    [sent] = rest_sends_of(user)[before:]
    assert "Esto es lo que Puente guarda" in sent["ContentVariables"]
    assert last_reply(app)["status"] == "sent"
    clock.advance(3600)
    drain(app)
    assert len(rest_sends_of(user)) == before + 1


def test_a_cut_reply_is_sent_once_twilio_can_be_asked_again(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, user = quick
    before = cut_rest_reply(app, user, monkeypatch, after_the_platform=False)
    platforms.fail("Messages.list", 503, code=20503, description="Service unavailable")
    clock.advance(REPLY_LEASE.total_seconds() + 1)
    drain(app)
    drain(app)
    row = last_reply(app)
    assert (row["status"], row["error"]) == ("failed", "interrupted")  # not known either way
    assert row["next_attempt_at"] is not None and len(rest_sends_of(user)) == before
    clock.advance(5)
    drain(app)
    drain(app)
    assert len(rest_sends_of(user)) == before + 1
    assert last_reply(app)["status"] == "sent"


def test_a_cut_telegram_reply_is_never_sent_again(
    telegram_user: TelegramUser, channel_app: App, platforms: FakePlatforms, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Bot API lists nothing a bot sent: the reply may have reached the person, so it ends
    failed ("interrupted"), counted, and is not sent twice (docs/reliability.md)."""
    telegram_user.say("hola")
    channel = channel_app.channels.telegram
    assert channel is not None
    monkeypatch.setattr("bot.channels.telegram.render.TEXT_LIMIT", 200)  # two messages: one by the API
    crash_after_commit(channel_app, channel.parse(json.dumps(telegram_user.update("text.json", text="1")).encode()))
    send_killed(channel_app, contact_of(channel_app), monkeypatch, after_the_platform=False)
    mark = len(platforms.sent("sendMessage"))
    clock.advance(REPLY_LEASE.total_seconds() + 1)
    drain(channel_app)
    drain(channel_app)
    with channel_app.db.transaction() as conn:
        cut = conn.execute(select(outbound_messages).where(outbound_messages.c.error == "interrupted")).mappings().all()
    assert [(r["status"], r["next_attempt_at"]) for r in cut] == [("failed", None)]
    sent_after = [c.params["text"] for c in platforms.sent("sendMessage")[mark:]]
    assert all(c["body"]["text"] not in sent_after for c in cut)


def test_a_rest_reply_twilio_did_not_take_is_tried_again_within_seconds(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
) -> None:
    app, user = quick
    reach_my_data(user)
    before = len(rest_sends_of(user))
    platforms.fail("Messages", 503, code=20503, times=1)
    assert user.post(user.form("text.form", Body="mis datos")).status_code == 200
    row = last_reply(app)
    waited = row["next_attempt_at"].replace(tzinfo=dt.UTC) - app.conversations.now()
    assert row["status"] == "failed" and waited == outbox_module.REPLY_PLAN.first == dt.timedelta(seconds=2)
    clock.advance(2)
    drain(app)
    assert len(rest_sends_of(user)) == before + 1
    assert last_reply(app)["status"] == "sent"



def test_a_reply_twilio_took_while_the_database_blinked_is_written_down_not_left_sending(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twilio took the reply; writing that down met a dropped connection. Left "sending", the
    row would hold the person's next replies back until its lease; it is written down again."""
    app, user = quick
    reach_my_data(user)
    write_down, tries = outbound.mark_sent, []

    def blinking(*args: Any, **kwargs: Any) -> None:
        tries.append(1)
        if len(tries) == 1:
            raise DatabaseUnavailable("server closed the connection unexpectedly")
        write_down(*args, **kwargs)

    monkeypatch.setattr(outbound, "mark_sent", blinking)
    before = len(rest_sends_of(user))
    assert user.post(user.form("text.form", Body="mis datos")).status_code == 200
    [sent] = rest_sends_of(user)[before:]
    row = last_reply(app)
    assert (row["status"], row["external_id"], len(tries)) == ("sent", sent["Sid"], 2)
    # The next turn is answered at once, not queued behind a row left "sending".
    assert user.say("mis datos")
    assert set(statuses(app)) == {("reply", "sent")}


def test_replies_after_a_cut_one_wait_for_it_and_arrive_after_it(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, user = quick
    before = cut_rest_reply(app, user, monkeypatch, after_the_platform=False)
    assert user.post(user.form("text.form", Body="hola")).status_code == 200
    assert len(rest_sends_of(user)) == before  # queued behind the cut reply
    clock.advance(31)  # the later reply's own wait is over; the cut one's lease is not
    drain(app)
    assert len(rest_sends_of(user)) == before
    clock.advance(15)
    drain(app)
    drain(app)
    sent = rest_sends_of(user)[before:]
    assert len(sent) >= 2 and "Esto es lo que Puente guarda" in sent[0]["ContentVariables"]
    assert not any("Esto es lo que Puente guarda" in str(s.get("ContentVariables")) for s in sent[1:])
    assert set(statuses(app)) == {("reply", "sent")}


@pytest.mark.parametrize("taken", [True, False], ids=["twilio_took_it", "it_never_arrived"])
def test_a_rest_reply_whose_answer_timed_out_is_looked_for_before_another_try(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch, taken: bool,
) -> None:
    """Twilio's answer never came (a read timeout): it may or may not have taken the message."""
    app, user = quick
    reach_my_data(user)
    before = len(rest_sends_of(user))
    request, timed_out = httpx.AsyncClient.request, []

    async def slow_twilio(client: httpx.AsyncClient, method: str, url: Any, **kwargs: Any) -> Any:
        if method == "POST" and str(url).endswith("/Messages.json") and not timed_out:
            timed_out.append(True)
            if taken:
                await request(client, method, url, **kwargs)
            raise httpx.ReadTimeout("The read operation timed out")
        return await request(client, method, url, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "request", slow_twilio)
    assert user.post(user.form("text.form", Body="mis datos")).status_code == 200
    row = last_reply(app)
    assert (row["status"], row["error"]) == ("failed", "interrupted") and row["next_attempt_at"] is not None
    assert len(rest_sends_of(user)) == before + (1 if taken else 0)
    clock.advance(5)
    drain(app)
    drain(app)
    [sent] = rest_sends_of(user)[before:]  # once, either way
    row = last_reply(app)
    assert (row["status"], row["external_id"]) == ("sent", sent["Sid"])
