"""Conversations with a person: what is stored and counted, what delete-my-data and the retention
leave, and a staff reply refused outside WhatsApp's window (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select, update

from bot.app import App
from bot.conversation.handoffs import StaffActions, purge
from bot.jobs.queue import build_queue
from bot.messages import DeliveryStatus
from db import handoffs, organizations
from db.tables import contacts, counters
from db.unanswered import unanswered_messages
from tests.support.chat import Chat
from tests.support.clock import FakeClock


def counted(app: App, name: str) -> dict[str, int]:
    with app.db.transaction() as conn:
        rows = conn.execute(select(counters.c.key, func.sum(counters.c.count)).where(counters.c.name == name)
                            .group_by(counters.c.key))
        return {key: int(n) for key, n in rows}


def rows(app: App, table) -> int:  # type: ignore[no-untyped-def]
    with app.db.transaction() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_referred_person_reaches_their_organization_and_every_step_is_counted(app: App, chat: Chat) -> None:
    with app.db.transaction() as conn:
        casa = organizations.add(conn, "casa", "Casa Tochan", "shelter", dt.datetime.now(dt.UTC))
    chat.send(is_start=True, referral="casa")
    chat.say("español")
    chat.say("persona")
    assert "una persona de Casa Tochan leerá tus mensajes" in chat.text
    chat.say("Necesito ayuda, mi CURP es GOMJ900101HCSRRN09")
    assert chat.last == []
    with app.db.transaction() as conn:
        found = handoffs.open_list(conn, handoffs.handoffs.c.id.is_not(None))
    assert [(h.organization_id, h.organization_code, h.language) for h in found] == [(casa, "casa", "es")]
    assert counted(app, "handoff") == {"casa:opened": 1}
    actions = StaffActions(app.conversations, app.notifier)
    asyncio_run(chat, actions.close(found[0].id, "referred"))
    assert counted(app, "handoff") == {"casa:opened": 1, "casa:closed:referred": 1}
    chat.say("no")  # did this help?
    assert counted(app, "handoff_rating") == {"casa:no": 1}
    assert "Gracias por decirnos." in chat.text


def test_delete_my_data_during_a_handoff_leaves_no_handoff_row_but_keeps_the_counts(app: App, chat: Chat) -> None:
    chat.say("hola")
    chat.say("español")
    chat.say("persona")
    chat.say("mi teléfono es 5512345678")
    assert rows(app, handoffs.handoff_messages) == 1
    chat.say("borrar mis datos")
    chat.say("sí")
    assert "borramos tus datos" in chat.text
    assert rows(app, handoffs.handoffs) == 0 and rows(app, handoffs.handoff_messages) == 0
    assert rows(app, contacts) == 0
    assert counted(app, "handoff") == {"none:opened": 1}


def test_purge_deletes_only_what_was_closed_before_the_retention(app: App, chat: Chat) -> None:
    chat.say("hola")
    chat.say("español")
    chat.say("persona")
    chat.say("hola, sigo aquí")
    chat.say("menú")  # closed by the person, now
    chat.say("persona")  # a new one, open
    now = app.conversations.now()
    with app.db.transaction() as conn:
        assert purge(conn, now, 90) == 0
        conn.execute(update(handoffs.handoffs).where(handoffs.handoffs.c.status == "closed")
                     .values(closed_at=now - dt.timedelta(days=91)))
        assert purge(conn, now, 90) == 1
    assert rows(app, handoffs.handoffs) == 1 and rows(app, handoffs.handoff_messages) == 0


def test_a_whatsapp_reply_after_the_window_is_refused_and_not_stored(app: App, chat: Chat) -> None:
    whatsapp = Chat(app, chat.loop, chat.clock, channel="whatsapp", user="whatsapp:+5215511112222",
                    phone="whatsapp:+5215511112222")
    whatsapp.say("hola")
    whatsapp.say("español")
    whatsapp.say("persona")
    whatsapp.say("ayuda con mi permiso")
    later = app.conversations.now() - dt.timedelta(hours=25)
    with app.db.transaction() as conn:
        conn.execute(update(contacts).values(last_inbound_at=later))
        conn.execute(update(handoffs.handoff_messages).values(created_at=later))
        found = handoffs.open_list(conn, handoffs.handoffs.c.id.is_not(None))[0]
        actions = StaffActions(app.conversations, app.notifier)
        assert not actions.window(conn, found).open
    delivery = asyncio_run(whatsapp, actions.reply(found.id, 1, "Hola"))
    assert delivery.status is DeliveryStatus.NOT_SENDABLE
    with app.db.transaction() as conn:
        assert [m.author for m in handoffs.messages(conn, found.id)] == ["person"]
        assert handoffs.get(conn, found.id).first_answer_at is None  # type: ignore[union-attr]
    assert "none:answered" not in counted(app, "handoff")


def asyncio_run(chat: Chat, coroutine):  # type: ignore[no-untyped-def]
    return chat.loop.run_until_complete(coroutine)


def test_something_else_under_did_you_mean_offers_a_person(app: App, chat: Chat) -> None:
    chat.say("hola")
    chat.say("español")
    chat.say("oiga una pregunta del dinero y del trabajo")
    chat.tap_label("Otra cosa")
    assert "¿Quieres que una persona del equipo lea tu mensaje y te responda?" in chat.text
    assert chat.labels == ["Sí, con una persona", "No, ver el menú"]
    chat.tap_label("Sí, con una persona")
    assert "una persona de la red Puente leerá tus mensajes" in chat.text
    assert counted(app, "handoff") == {"none:opened": 1}


def test_the_hourly_retention_job_deletes_old_closed_handoffs_and_unanswered_messages(
    app: App, chat: Chat, clock: FakeClock
) -> None:
    """Nobody has to remember a command: the job queue's retention task forgets what is past its
    time (30 days for unanswered messages, HANDOFF_RETENTION_DAYS for closed handoffs)."""
    chat.say("hola")
    chat.say("español")
    chat.say("blorf frumble zazzle")  # nothing places it: kept masked for staff
    chat.say("persona")
    chat.say("hola, sigo aquí")
    chat.say("menú")  # closed by the person
    assert rows(app, unanswered_messages) == 1 and rows(app, handoffs.handoffs) == 1
    clock.advance(31 * 86_400)
    run_retention_job(app)
    assert rows(app, unanswered_messages) == 0
    assert rows(app, handoffs.handoffs) == 1  # closed 31 days ago: kept for 90
    clock.advance(60 * 86_400)
    run_retention_job(app)
    assert rows(app, handoffs.handoffs) == 0 and rows(app, handoffs.handoff_messages) == 0
    assert counted(app, "handoff") == {"none:opened": 1}  # the network's counts stay


def run_retention_job(app: App) -> None:
    async def main() -> None:
        queue = build_queue(app)
        async with queue.procrastinate.open_async():
            await queue.retention.defer_async(timestamp=0)
            await queue.procrastinate.run_worker_async(wait=False, concurrency=1, install_signal_handlers=False,
                                                       delete_jobs="always", listen_notify=False)

    asyncio.run(main())
