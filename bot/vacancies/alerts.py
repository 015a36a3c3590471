"""Vacancy alerts: new vacancies matching saved searches, sent through the Notifier port in each
user's language, at most once per vacancy and user. The job worker runs them on a schedule
(VACANCY_ALERTS_CRON, bot/jobs/); `puente vacancies alerts` runs them by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.days import mexico_day
from bot.engine import CompiledContent
from bot.engine.render import Formatting, Renderer
from bot.engine.steps import step_type
from bot.messages import DeliveryStatus, Notifier, Outbound, Template
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.cards import SAMPLE_SOURCE, Line, card_lines
from bot.vacancies.search import VacancySearch
from bot.vacancies.spec import SearchSpec, describe
from db.counters import bump
from db.database import Database
from db.vacancies import alerts as store
from db.vacancies.search import VacancyRepository
from db.vacancies.store import Vacancy

log = logging.getLogger("puente.alerts")

# The step whose buttons every alert carries ("see new offers", "stop alerts"): a menu step,
# so its buttons work whenever the user taps them.
ALERT_BUTTONS_STEP = "vacancies.alerts_menu"
CARDS_PER_ALERT = 5
VACANCIES_PER_RUN = 20


@dataclass
class AlertRun:
    contacts: int = 0
    messages: int = 0
    vacancies: int = 0
    opted_out: int = 0
    not_sendable: int = 0  # kept: sent by a later run (WhatsApp's 24-hour window)
    failed: int = 0
    retrying: int = 0  # not accepted yet: the outbox sends the same message later

    def summary(self) -> str:
        return (f"{self.messages} alert message(s) with {self.vacancies} vacancies to {self.contacts} "
                f"user(s); {self.not_sendable} not sendable now (kept for later), "
                f"{self.retrying} to be tried again, {self.opted_out} opted out, {self.failed} failed")


class AlertSender:
    def __init__(
        self,
        db: Database,
        content: Callable[[], CompiledContent],
        formatter: Formatting,
        notifier: Notifier,
        *,
        templates: Mapping[str, str] | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self.db = db
        self.content = content
        self.formatter = formatter
        self.notifier = notifier
        # WhatsApp template ContentSid per language, for users outside the 24-hour window.
        self.templates = dict(templates or {})
        self.clock = clock
        self.today = today or (lambda: mexico_day(self.clock()))
        self.occupations = Occupations.load()
        self.places = Places.load()

    async def run_once(self) -> AlertRun:
        run = AlertRun()
        with self.db.transaction() as conn:
            by_contact: dict[int, list[store.Subscription]] = defaultdict(list)
            for subscription in store.due_subscriptions(conn):
                by_contact[subscription.contact_id].append(subscription)
        for contact_id, subscriptions in by_contact.items():
            await self._contact(run, contact_id, subscriptions)
        return run

    async def _contact(self, run: AlertRun, contact_id: int, subscriptions: list[store.Subscription]) -> None:
        now, today = self.clock(), self.today()
        with self.db.transaction() as conn:
            found, matched = self._new_vacancies(conn, contact_id, subscriptions, today)
            claimed = store.claim(conn, contact_id, [v.id for v in found], now)
        vacancies = [v for v in found if v.id in claimed]
        if not vacancies:
            return
        lang = subscriptions[0].language or "es"
        message, template, fallbacks = self._message(lang, vacancies, matched)
        retrying = False
        try:
            delivery = await self.notifier.send(contact_id, [message], template=template, kind="alert")
            status, retrying = delivery.status, delivery.retry_at is not None
        except Exception as error:  # noqa: BLE001 - one user's failure must not stop the others
            log.error("alert to contact %s failed: %s", contact_id, type(error).__name__)
            status = DeliveryStatus.FAILED
        counts: Counter[tuple[str, str]] = Counter(("fallback", ctx) for ctx in fallbacks)
        with self.db.transaction() as conn:
            ids = [v.id for v in vacancies]
            if status == DeliveryStatus.SENT or retrying:
                # Handed to the outbox, which sends this very message later: the vacancies are
                # its, and no later run may offer them again (never twice).
                store.confirm(conn, contact_id, ids, [s.id for s in matched], now)
                if retrying:
                    run.retrying += 1
                    counts[("alert", "retrying")] += 1
                else:
                    run.contacts += 1
                    run.messages += 1
                    run.vacancies += len(ids)
                    counts[("alert", "sent")] += 1
            else:
                store.release(conn, contact_id, ids)
                counts[("alert", status.value)] += 1
                if status == DeliveryStatus.OPTED_OUT:
                    # The notifier has marked the contact: no alert goes to them again.
                    run.opted_out += 1
                elif status == DeliveryStatus.NOT_SENDABLE:
                    run.not_sendable += 1
                else:
                    run.failed += 1
            bump(conn, today, counts)

    def _new_vacancies(
        self, conn: object, contact_id: int, subscriptions: list[store.Subscription], today: dt.date
    ) -> tuple[list[Vacancy], list[store.Subscription]]:
        search = VacancySearch(conn, self.occupations, self.places)  # type: ignore[arg-type]
        repository = VacancyRepository(conn)  # type: ignore[arg-type]
        found: dict[int, Vacancy] = {}
        matched = []
        for subscription in subscriptions:
            spec = SearchSpec.from_json(subscription.query, self.occupations)
            if spec.is_empty or spec.alerted:
                continue
            query = dataclasses.replace(
                search.filter(spec, today), created_after=subscription.created_at, not_sent_to=contact_id,
            )
            new = [v for v in repository.search(query, limit=VACANCIES_PER_RUN) if v.id not in found]
            if new:
                matched.append(subscription)
                found.update((v.id, v) for v in new)
        ordered = sorted(found.values(), key=lambda v: (v.published_on, v.id), reverse=True)
        return ordered[:VACANCIES_PER_RUN], matched

    def _message(
        self, lang: str, vacancies: list[Vacancy], matched: list[store.Subscription]
    ) -> tuple[Outbound, Template | None, list[str]]:
        content = self.content()
        if lang not in content.languages:
            lang = "es"
        renderer = Renderer(content, self.formatter, lang)
        label = describe(SearchSpec.from_json(matched[0].query, self.occupations), lang, self.occupations, self.places)
        lines = [Line(response="vacancy_alert_header", values={"search": label}) if len(matched) == 1
                 else Line(response="vacancy_alert_header_many")]
        for number, vacancy in enumerate(vacancies[:CARDS_PER_ALERT], start=1):
            lines += card_lines(vacancy, number, self.places)
        if len(vacancies) > CARDS_PER_ALERT:
            lines.append(Line(response="vacancy_alert_more", values={"count": len(vacancies) - CARDS_PER_ALERT}))
        if any(v.source == SAMPLE_SOURCE for v in vacancies):
            lines.append(Line(response="vacancy_sample_results"))
        text = "\n".join(render_line(renderer, content, line) for line in lines).strip()
        buttons = content.step(ALERT_BUTTONS_STEP)
        choices = step_type(buttons).buttons(renderer, buttons, {})
        sid = self.templates.get(lang) or self.templates.get("*")
        template = Template(sid, {"1": str(len(vacancies)), "2": label}) if sid else None
        return Outbound(text, choices), template, renderer.fallbacks


def render_line(renderer: Renderer, content: CompiledContent, line: Line) -> str:
    if line.response is not None:
        return renderer.text(content.responses[line.response], line.values)
    return line.text or ""


def parse_templates(value: str) -> dict[str, str]:
    """VACANCY_ALERT_TEMPLATES="es=HX...,en=HX..." (or one ContentSid for every language)."""
    found: dict[str, str] = {}
    for part in value.split(","):
        lang, sep, sid = part.strip().partition("=")
        if sep and sid.strip():
            found[lang.strip()] = sid.strip()
        elif lang.strip():
            found["*"] = lang.strip()
    return found
