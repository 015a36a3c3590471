"""A vacancy as lines for the chat: its own words (data, in Spanish) and the bot's words
(translated responses of dialogs/vacancies.yaml, with money and dates in the reader's locale)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.nlu.places import Places
from db.vacancies.store import Vacancy

PERIODS = ("hour", "day", "week", "fortnight", "month")
SAMPLE_SOURCE = "sample"
DESCRIPTION_CHARS = 600
BUTTON_CHARS = 24  # WhatsApp list items are cut at 24 characters


@dataclass(frozen=True)
class Line:
    """Either data shown as it is (`text`) or a translated response with its values."""

    text: str | None = None
    response: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)


def place_of(vacancy: Vacancy, places: Places) -> str:
    state = places.state(vacancy.state).name
    city = vacancy.municipality
    return f"{city}, {state}" if city and city != state else state


def salary_line(vacancy: Vacancy) -> Line | None:
    low, high, period = vacancy.salary_min, vacancy.salary_max, vacancy.salary_period
    if period not in PERIODS or (low is None and high is None):
        return None
    if low is not None and high is not None and low != high:
        return Line(response=f"vacancy_salary_{period}", values={"salary_min": low, "salary_max": high})
    return Line(response=f"vacancy_salary_{period}_single", values={"salary": low if low is not None else high})


def card_lines(vacancy: Vacancy, number: int, places: Places) -> list[Line]:
    """Short: number and title, employer and place, pay. A blank line sets cards apart."""
    lines = [
        Line(text=f"\n{number}. {vacancy.title}"),
        Line(text=f"{vacancy.employer} · {place_of(vacancy, places)}"),
    ]
    salary = salary_line(vacancy)
    if salary:
        lines.append(salary)
    return lines


def button_labels(vacancies: list[Vacancy]) -> list[str]:
    """Titles, cut to fit a WhatsApp list; the same title twice on a page gets its number."""
    titles = [v.title for v in vacancies]
    labels = []
    for number, title in enumerate(titles, start=1):
        suffix = f" ({number})" if titles.count(title) > 1 else ""
        room = BUTTON_CHARS - len(suffix)
        cut = title if len(title) <= room else title[:room - 1].rstrip() + "…"
        labels.append(cut + suffix)
    return labels


def detail_lines(vacancy: Vacancy, places: Places) -> list[Line]:
    lines = [
        Line(text=vacancy.title),
        Line(text=f"🏢 {vacancy.employer}"),
        Line(text=f"📍 {place_of(vacancy, places)}"),
        salary_line(vacancy) or Line(response="vacancy_salary_unknown"),
    ]
    if vacancy.schedule:
        lines.append(Line(text=f"🕒 {vacancy.schedule}"))
    if vacancy.description:
        lines.append(Line(text="\n" + _cut(vacancy.description, DESCRIPTION_CHARS)))
    if vacancy.requirements:
        lines += [Line(response="vacancy_detail_requirements"), Line(text=_cut(vacancy.requirements, 400))]
    if vacancy.documents:
        lines.append(Line(response="vacancy_detail_documents"))
        lines += [Line(response=f"vacancy_doc_{d}") for d in vacancy.documents]
    else:
        lines.append(Line(response="vacancy_detail_documents_unknown"))
    lines += [
        Line(response="vacancy_detail_apply"),
        Line(text=_cut(vacancy.how_to_apply, 500)),
        Line(response="vacancy_detail_dates",
             values={"published": vacancy.published_on.isoformat(), "expires": vacancy.expires_on.isoformat()}),
    ]
    if vacancy.source == SAMPLE_SOURCE:
        lines.append(Line(response="vacancy_sample_notice"))  # says what its Spanish note says
    elif vacancy.note:
        lines.append(Line(text=vacancy.note))
    lines.append(Line(response="vacancy_never_pay"))
    return lines


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
