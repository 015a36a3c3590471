"""Why a vacancy (a form or a row of an uploaded file) was refused or is worth a look, in plain
words of the admin's language, never a validation library's ("String should have at least 3
characters"). The form names a field as its label on the page; the upload report as its column."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.vacancies.problems import FileUnreadable, Problem
from bot.web.admin.preferences import day
from bot.web.admin.translations import N_, _, ngettext

# The vacancy form's fields, as the edit page labels them.
FIELD_LABELS = {
    "source": N_("Source"),
    "external_id": N_("Id at the source"),
    "title": N_("Title"),
    "employer": N_("Employer"),
    "description": N_("Description"),
    "state": N_("State"),
    "municipality": N_("City or municipality"),
    "sinco": N_("SINCO code"),
    "salary_min": N_("Pay from (MXN)"),
    "salary_max": N_("Pay up to (MXN)"),
    "salary_period": N_("Per"),
    "schedule": N_("Schedule"),
    "requirements": N_("Requirements"),
    "documents": N_("Migration documents the employer accepts"),
    "how_to_apply": N_("How to apply"),
    "note": N_("Note shown with the offer"),
    "published_on": N_("Published on"),
    "expires_on": N_("Open until"),
}
AMOUNT = ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "int_parsing", "int_type")
DATE = ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact", "datetime_parsing")
TOO_LARGE = ("less_than_equal", "less_than", "decimal_max_digits", "decimal_whole_digits")


def _what(problem: Problem, name: Callable[[str], str]) -> str:
    """What to do about a refused value, without naming the field (the caller does)."""
    code, values = problem.code, problem.values
    simple: dict[str, str] = {
        "missing": _("fill it in; it is required."),
        "impossible_date": _("this date does not exist."),
        "unknown_state": _("use the INEGI code 01-32 or the state's name (e.g. 19 or Nuevo León)"),
        "unknown_period": _("choose hour, day, week, fortnight or month."),
        "decimal_max_places": _("write at most 2 decimals."),
        "greater_than_equal": _("write 0 or more."),
    }
    if code in simple:
        return simple[code]
    if code == "string_too_short":
        count = int(values.get("min_length", 0))
        return ngettext("write at least %(num)s character.", "write at least %(num)s characters.", count) % {"num": count}
    if code == "string_too_long":
        count = int(values.get("max_length", 0))
        return ngettext("write at most %(num)s character.", "write at most %(num)s characters.", count) % {"num": count}
    if code == "string_pattern_mismatch" and problem.field == "sinco":
        return _("write 1 to 4 digits, not starting with 0 (e.g. 7121), or leave it empty to find it from the title.")
    if code == "string_pattern_mismatch" and problem.field == "source":
        return _("write a short name in lowercase letters, digits, - or _ (e.g. sne-chiapas).")
    if code in AMOUNT:
        return _("write an amount in pesos, like 2500 or 2500.50.")
    if code in DATE:
        return _("write a date as year-month-day (2026-11-30) or day/month/year (30/11/2026).")
    if code in TOO_LARGE:
        return _("write a smaller amount (at most 10,000,000).")
    if code == "unknown_document":
        return _("%(documents)s is not one of the documents listed.") % {"documents": values.get("unknown", "")}
    if code == "salary_order":
        return _("“%(high)s” is lower than “%(low)s”.") % {"high": name("salary_max"), "low": name("salary_min")}
    if code == "salary_without_period":
        return _("a pay needs “%(period)s”: hour, day, week, fortnight or month.") % {"period": name("salary_period")}
    if code == "expires_before_published":
        return _("“%(end)s” is before “%(start)s”.") % {"end": name("expires_on"), "start": name("published_on")}
    if code == "string_pattern_mismatch":
        return _("this is not written as expected.")
    return problem.message.split(": ", 1)[-1]


def on_form(problem: Problem) -> str:
    """A refusal of the edit form: “Title”: write at least 3 characters."""
    def label(field: str) -> str:
        return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field

    what = _what(problem, label)
    if not problem.field:
        return what[:1].upper() + what[1:]
    return _("“%(field)s”: %(what)s") % {"field": label(problem.field), "what": what}


WARNINGS: Mapping[str, str] = {
    "below_minimum_wage": N_("the salary is below the 2026 general minimum wage ($315.04 a day); "
                             "check it with the employer"),
}


def in_file(problem: Problem) -> str:
    """A problem of an uploaded file's row, by line and column: line 3: state: use the INEGI code..."""
    values = problem.values
    if problem.code == "unknown_column":
        what = _("unknown column '%(column)s' is ignored") % values
    elif problem.code == "extra_cells":
        what = _("%(cells)s cells but %(columns)s columns; extra cells ignored") % values
    elif problem.code == "duplicate":
        what = _("same source and external_id as line %(first)s; this line wins") % values
    elif problem.code == "expired":
        what = _("expired on %(day)s: stored, never shown") % {"day": day(values["day"])}
    elif problem.code in WARNINGS:
        what = _(WARNINGS[problem.code])
    elif problem.code:
        reason = _what(problem, lambda field: field)
        what = f"{problem.field}: {reason}" if problem.field else reason
    else:
        what = problem.message
    return _("line %(line)s: %(problem)s") % {"line": problem.line, "problem": what} if problem.line else what


def unreadable(error: FileUnreadable) -> str:
    """Why a whole file could not be read, and that nothing was imported."""
    values = error.values
    reasons = {
        "not_utf8": _("it is not UTF-8 text (byte %(byte)s); save the file as UTF-8, or as an Excel workbook (.xlsx)"),
        "empty": _("the file is empty"),
        "not_csv": _("it is not a CSV file"),
        "broken_csv": _("broken CSV (a quote is not closed?)"),
        "broken_json": _("broken JSON (column %(column)s)"),
        "not_object": _("each vacancy must be a JSON object {...}"),
        "unclosed_list": _("broken JSON: the list is not closed with ]"),
        "not_xlsx": _("it is not a readable Excel workbook (.xlsx)"),
        "missing_columns": _("the first line has no column %(columns)s: it must name the columns of "
                             "docs/vacancies-format.md (source, external_id, title, employer, state, how_to_apply, ...)"),
    }
    reason = reasons[error.code] % values if error.code in reasons else str(error)
    if error.line and error.code in reasons:
        reason = _("line %(line)s: %(problem)s") % {"line": error.line, "problem": reason}
    return _("%(reason)s; nothing was imported") % {"reason": reason}


def summary(rows: int, new: int, updated: int, bad: int, warnings: int) -> str:
    return _("%(rows)s row(s): %(new)s new, %(updated)s updated, %(bad)s with errors (not imported), "
             "%(warnings)s warning(s)") % {"rows": rows, "new": new, "updated": updated, "bad": bad,
                                           "warnings": warnings}
