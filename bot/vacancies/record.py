"""One vacancy of an import file, checked field by field (docs/vacancies-format.md)."""

from __future__ import annotations

import datetime as dt
import re
import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.nlu.normalize import normalize
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.profile import DOCUMENTS
from bot.vacancies.cards import PERIODS

# A person's answer ("none yet"), not something an employer accepts.
ACCEPTED_DOCUMENTS = tuple(d for d in DOCUMENTS if d != "none")
DEFAULT_DAYS_OPEN = 30
# Minimum wage in force from 1 January 2026 (CONASAMI), general zone, per day.
MINIMUM_WAGE_DAY = Decimal("315.04")
# How many days of pay each period stands for (a month counted as 30 days).
_DAYS = {"hour": Decimal("0.125"), "day": Decimal(1), "week": Decimal(7), "fortnight": Decimal(15),
         "month": Decimal(30)}

_PERIOD_WORDS = {
    "hour": "hour", "hora": "hour", "por hora": "hour", "hourly": "hour",
    "day": "day", "dia": "day", "diario": "day", "daily": "day", "por dia": "day",
    "week": "week", "semana": "week", "semanal": "week", "weekly": "week",
    "fortnight": "fortnight", "quincena": "fortnight", "quincenal": "fortnight",
    "month": "month", "mes": "month", "mensual": "month", "monthly": "month",
}
_DATE_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

FIELD_NAMES = (
    "source", "external_id", "title", "employer", "description", "state", "municipality", "sinco",
    "salary_min", "salary_max", "salary_period", "schedule", "requirements", "documents",
    "how_to_apply", "note", "published_on", "expires_on",
)


class Refusal(ValueError):
    """A value refused by a check of this module; `code` names the check, so a reader of the
    report in another language (the web admin) can say it in its own words."""

    def __init__(self, code: str, message: str, **values: Any) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class FieldProblem:
    """One reason a row is refused: the field ("" for the row as a whole), a code (pydantic's
    error type, e.g. string_too_short, or a Refusal's), the report's English message, and the
    numbers or names the message mentions (min_length, unknown documents...)."""

    field: str
    code: str
    message: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)


class VacancyRecord(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    source: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")
    external_id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=3, max_length=160)
    employer: str = Field(min_length=2, max_length=160)
    description: str = Field(default="", max_length=4000)
    state: str
    municipality: str | None = Field(default=None, max_length=100)
    sinco: str | None = Field(default=None, pattern=r"^[1-9]\d{0,3}$")
    salary_min: Decimal | None = Field(default=None, ge=0, le=10_000_000, decimal_places=2)
    salary_max: Decimal | None = Field(default=None, ge=0, le=10_000_000, decimal_places=2)
    salary_period: str | None = None
    schedule: str | None = Field(default=None, max_length=200)
    requirements: str = Field(default="", max_length=2000)
    documents: list[str] = Field(default_factory=list)
    how_to_apply: str = Field(min_length=5, max_length=1000)
    note: str | None = Field(default=None, max_length=300)
    published_on: dt.date
    expires_on: dt.date = None  # type: ignore[assignment]  # set from published_on when absent

    @field_validator("state", mode="before")
    @classmethod
    def _state(cls, value: Any) -> str:
        text = str(value or "").strip()
        if text.isdigit() and 1 <= int(text) <= 32:
            return text.zfill(2)
        found = Places.load().by_name(text) if text else None
        if found is None:
            raise Refusal("unknown_state", "use the INEGI code 01-32 or the state's name (e.g. 19 or Nuevo León)")
        return found.code

    @field_validator("salary_period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> str | None:
        if value is None or str(value).strip() == "":
            return None
        period = _PERIOD_WORDS.get(normalize(str(value)))
        if period is None:
            raise Refusal("unknown_period", f"use one of {', '.join(PERIODS)}")
        return period

    @field_validator("documents", mode="before")
    @classmethod
    def _documents(cls, value: Any) -> list[str]:
        if value is None:
            return []
        items = re.split(r"[;,|\s]+", value) if isinstance(value, str) else list(value)
        found = [str(i).strip().lower() for i in items if str(i).strip()]
        unknown = [d for d in found if d not in ACCEPTED_DOCUMENTS]
        if unknown:
            raise Refusal("unknown_document", f"unknown document {', '.join(unknown)}; use {', '.join(ACCEPTED_DOCUMENTS)}",
                          unknown=", ".join(unknown))
        return list(dict.fromkeys(found))

    @field_validator("published_on", "expires_on", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _DATE_DMY.match(value.strip())
            if match:
                day, month, year = (int(g) for g in match.groups())
                try:
                    return dt.date(year, month, day)
                except ValueError:
                    raise Refusal("impossible_date", "this date does not exist") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> VacancyRecord:
        if self.salary_min is not None and self.salary_max is not None and self.salary_max < self.salary_min:
            raise Refusal("salary_order", "salary_max is lower than salary_min")
        if (self.salary_min is not None or self.salary_max is not None) and self.salary_period is None:
            raise Refusal("salary_without_period", "a salary needs salary_period (hour, day, week, fortnight or month)")
        if self.expires_on is None:
            self.expires_on = self.published_on + dt.timedelta(days=DEFAULT_DAYS_OPEN)
        if self.expires_on < self.published_on:
            raise Refusal("expires_before_published", "expires_on is before published_on")
        return self

    def below_minimum_wage(self) -> bool:
        top = self.salary_max if self.salary_max is not None else self.salary_min
        if top is None or self.salary_period is None:
            return False
        return top / _DAYS[self.salary_period] < MINIMUM_WAGE_DAY


class RecordError(ValueError):
    """A row that cannot be imported: the messages name the fields."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        self.messages = [problem.message for problem in problems]
        super().__init__("; ".join(self.messages))


def parse_record(
    raw: dict[str, Any], *, today: dt.date, default_source: str | None = None,
    occupations: Occupations | None = None,
) -> VacancyRecord:
    """A checked record, with defaults: source, publication today, 30 days open, SINCO from the title."""
    # A blank cell is an absent field: its default applies, or "is required" is reported.
    data = {k: v for k, v in raw.items() if v is not None and not (isinstance(v, str) and not v.strip())}
    data["source"] = data.get("source") or default_source
    data["published_on"] = data.get("published_on") or today
    for name in ("external_id", "sinco"):
        if isinstance(data.get(name), int):
            data[name] = str(data[name])
    try:
        record = VacancyRecord.model_validate(data)
    except ValidationError as error:
        raise RecordError([_problem(e) for e in error.errors()]) from None
    if record.sinco is None:
        trade = (occupations or Occupations.load()).find(record.title, "es")
        if trade is not None:
            record.sinco = trade.sinco
    return record


def _problem(error: Any) -> FieldProblem:
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "__root__")
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    code = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    refusal = context.pop("error", None)
    if isinstance(refusal, Refusal):
        code, context = refusal.code, refusal.values
    if error.get("type") == "missing" or (error.get("input") is None and "type" in error.get("type", "")):
        message, code = "is required", "missing"
    if where == "source" and message == "is required":
        message = "is required (a column, or --source on the command line)"
    return FieldProblem(where.split(".")[0], code, f"{where}: {message}" if where else message, context)
