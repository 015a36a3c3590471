"""Running one turn end to end: hold the person's order, claim the message id, load, drive the
engine and the actions, save the state and keep the replies (bot/conversation/answers.py), all
in one transaction; an apology when the turn fails, a 503 when storage fails anywhere in it."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection

from bot.action_bridge import ActionBridge, ActionFailed
from bot.content.live import LiveContent
from bot.conversation import answers
from bot.conversation.answers import Planner
from bot.conversation import handoff_turns as handoffs
from bot.conversation import unanswered
from bot.conversation.claims import claim
from bot.conversation.deletion import delete_person
from bot.conversation.drive import MAX_ACTIONS, Driven, drive
from bot.conversation.ordering import Ordering
from bot.days import mexico_day
from bot.engine import ConversationState
from bot.engine.turn import DELETE_EFFECT
from bot.i18n import suggest_language
from bot.messages import Inbound, Outbound
from db import contacts as contact_store
from db import turns as turn_store
from db.counters import bump
from db.database import Database, DatabaseUnavailable, storage_failed

log = logging.getLogger("puente.turn")

# An effect is extra work for the turn's transaction, named by the engine (e.g. deletion).
EffectHandler = Callable[[Connection, int], None]


@dataclass
class TurnOutcome:
    replies: list[Outbound] = field(default_factory=list)
    duplicate: bool = False
    contact_id: int | None = None
    language: str | None = None
    failed: bool = False
    # With a planner: the replies are kept (answers.keep) and `replies` is not for sending:
    # outbound rows to send now, the records that ride in the response, the stored answer.
    kept: answers.Kept | None = None


def describe_failure(error: BaseException) -> str:
    """Type and place of the root cause, never its message: it could carry the user's words."""
    root = error
    while root.__cause__ is not None:
        root = root.__cause__
    frame = root.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f"{frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame else "?"
    ours = f" ({error})" if isinstance(error, ActionFailed) else ""
    return f"{type(root).__name__} at {where}{ours}"


class ConversationService:
    def __init__(
        self,
        db: Database,
        live: LiveContent,
        bridge: ActionBridge,
        *,
        clock: Callable[[], float] = time.time,
        max_actions: int = MAX_ACTIONS,
    ) -> None:
        self.db = db
        self.live = live
        self.bridge = bridge
        self.clock = clock
        self.max_actions = max_actions
        self.ordering = Ordering(single_writer=db.is_sqlite)
        self.effects: dict[str, EffectHandler] = {DELETE_EFFECT: delete_person}

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)

    def serialized(self, channel: str, user_key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold a user's turn (and SQLite's writer) lock for database work outside a turn:
        opt-outs, delivery reports, messages the bot sends first, the admin's simulator."""
        return self.ordering.hold(channel, user_key)

    async def handle(self, inbound: Inbound, planner: Planner | None = None) -> TurnOutcome:
        """The turn's outcome; with a `planner` its replies are kept with it (the webhooks),
        and a redelivery gets the stored ones. Raises DatabaseUnavailable when storage failed
        anywhere in the turn: nothing is recorded, and the platform asks again."""
        async with self.ordering.turn(inbound.channel, inbound.user_key):
            started = time.perf_counter()
            try:
                outcome = await self._turn(inbound, planner)
            except DatabaseUnavailable:
                raise
            except Exception as error:  # noqa: BLE001 - a bug must not loop platform retries
                if storage_failed(error):
                    # The database failed under an action (which wraps what it raised): the
                    # turn is not done, nothing is recorded, and the platform asks again.
                    log.warning("turn on %s met the database failing: %s", inbound.channel,
                                describe_failure(error))
                    raise DatabaseUnavailable(type(error).__name__) from error
                log.error("turn failed on %s: %s", inbound.channel, describe_failure(error))
                outcome = await self._apology(inbound, planner)
            log.debug(
                "turn channel=%s contact=%s ms=%.1f",
                inbound.channel, outcome.contact_id, (time.perf_counter() - started) * 1000,
            )
            return outcome

    async def _turn(self, inbound: Inbound, planner: Planner | None) -> TurnOutcome:
        now = self.clock()
        moment = dt.datetime.fromtimestamp(now, dt.UTC)
        async with self._writing(inbound) as conn:
            if not claim(conn, inbound.channel, inbound.external_id, moment):
                return self._again(conn, inbound, planner)
            loaded = turn_store.load(conn, inbound.channel, inbound.user_key, moment)
            # A revision published since the last turn applies from this one (its number came
            # with the contact, in the same statement); then one revision for the whole turn.
            self.live.refresh(loaded.newest_revision)
            contact = loaded.contact
            state = ConversationState.from_json(loaded.state)
            referral = contact.referral or inbound.referral
            handoffs.organization_slot(conn, state, referral)
            if state.language is None:
                inbound = replace(
                    inbound, language_hint=suggest_language(inbound.language_hint, inbound.phone)
                )
            turn = await drive(
                self.live.engine, self.bridge, state, inbound, now,
                contact_id=str(contact.id), max_actions=self.max_actions,
            )
            for effect in turn.effects:
                self.effects[effect](conn, contact.id)
            final = turn.state
            kept = None
            if turn.handoff is not None and DELETE_EFFECT not in turn.effects:
                handoffs.apply(conn, contact.id, referral, inbound.channel, final.language or "es",
                               turn.handoff, moment)
            if DELETE_EFFECT not in turn.effects:
                self._unanswered(conn, contact.id, turn, state, moment)
                contact_store.save_state(conn, contact.id, final.to_json(), moment)
                values: dict[str, object] = {"last_inbound_at": moment} if loaded.touch_due(moment) else {}
                if final.language != contact.language:
                    values["language"] = final.language
                if inbound.referral and not contact.referral:
                    values["referral"] = inbound.referral[:64]
                if values:
                    contact_store.update_contact(conn, contact.id, **values)
                if planner is not None:
                    kept = answers.keep(conn, inbound, contact.id, planner(turn.replies, final.language), moment,
                                        unfinished=loaded.outbound_unfinished)
            # (After a deletion nothing of the person is kept, not even the replies: they are
            # sent as before, and a redelivery finds the id and no answer.)
            bump(conn, mexico_day(moment), Counter(turn.events))
        if DELETE_EFFECT in turn.effects and not await self.db.checkpoint():
            log.warning("after a deletion the WAL could not be emptied yet (a reader was busy)")
        return TurnOutcome(turn.replies, contact_id=contact.id, language=final.language, kept=kept)

    def _writing(self, inbound: Inbound) -> contextlib.AbstractAsyncContextManager[Connection]:
        """The turn's transaction, begun once the person's lock is granted (bot/conversation/ordering.py)."""
        return self.db.writing(f"{inbound.channel}:{inbound.user_key}",
                               while_waiting=self.ordering.asking(inbound.channel, inbound.user_key))

    @staticmethod
    def _again(conn: Connection, inbound: Inbound, planner: Planner | None) -> TurnOutcome:
        """A redelivery: the turn is not run again; its stored answer is given again."""
        found = answers.stored(conn, inbound) if planner is not None else None
        if found is None:
            return TurnOutcome(duplicate=True)
        kept = answers.Kept(found.outbound, found.replies, found.id)
        return TurnOutcome(duplicate=True, contact_id=found.contact_id, kept=kept)

    @staticmethod
    def _unanswered(conn: Connection, contact_id: int, turn: Driven, before: ConversationState,
                    moment: dt.datetime) -> None:
        """Free text nothing placed, masked, for staff; the topic reached after one."""
        if turn.chosen_topic:
            unanswered.note_topic(conn, contact_id, turn.chosen_topic, moment)
        if turn.unplaced:
            unanswered.record(conn, contact_id, turn.unplaced, turn.state.language, before.step, moment)

    def preset_language(self, channel: str, user_key: str, language: str) -> None:
        """Skip the language question (console --lang, a deep link that names the language)."""
        moment = self.now()
        with self.db.transaction() as conn:
            contact = contact_store.find_or_create_contact(conn, channel, user_key, moment)
            state = ConversationState.from_json(contact_store.load_state(conn, contact.id))
            state.language = language
            state.slots["language"] = language
            state.slots.pop("_suggested", None)
            contact_store.save_state(conn, contact.id, state.to_json(), moment)
            contact_store.update_contact(conn, contact.id, language=language)

    def is_known(self, channel: str, user_key: str) -> bool:
        with self.db.transaction() as conn:
            return contact_store.find_contact(conn, channel, user_key) is not None

    async def _apology(self, inbound: Inbound, planner: Planner | None) -> TurnOutcome:
        """The turn is rolled back; the message id is kept (with the apology, as the turn's
        answer) so a redelivery is not run again."""
        moment = self.now()
        async with self._writing(inbound) as conn:
            if not claim(conn, inbound.channel, inbound.external_id, moment):
                return self._again(conn, inbound, planner)
            contact = contact_store.find_contact(conn, inbound.channel, inbound.user_key)
            bump(conn, mexico_day(moment), Counter({("error", inbound.channel): 1}))
            lang = (contact.language if contact else None) or "es"
            text, _ = self.live.content.messages["error"].get(lang)
            replies = [Outbound(text)]
            kept = None
            if planner is not None and contact is not None:
                kept = answers.keep(conn, inbound, contact.id, planner(replies, lang), moment)
        return TurnOutcome(replies, contact_id=contact.id if contact else None, language=lang,
                           failed=True, kept=kept)
