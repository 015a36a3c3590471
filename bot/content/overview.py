"""What staff see of a content pack: every text with its translations and their state."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.catalog import Catalogs, LanguageStats, statistics
from bot.content.document import ContentError, Documents, RawFlow, RawStep
from bot.content.loader import read_pack
from bot.content.source import ContentSource
from bot.content.texts import TextItem
from bot.languages import LANGUAGES, SOURCE_LANGUAGE

OK, FUZZY, MISSING, REVIEW = "ok", "fuzzy", "missing", "review"


@dataclass(frozen=True)
class Cell:
    text: str
    state: str
    # For a fuzzy translation: the Spanish it was written for.
    previous: str = ""


@dataclass(frozen=True)
class TextRow:
    item: TextItem
    label: str
    cells: dict[str, Cell]

    @property
    def ctx(self) -> str:
        return self.item.ctx


@dataclass
class Overview:
    docs: Documents
    catalogs: Catalogs
    errors: list[ContentError]
    rows: dict[str, TextRow] = field(default_factory=dict)

    def stats(self) -> list[LanguageStats]:
        return statistics({c: r.item.source for c, r in self.rows.items()}, self.catalogs)

    def flow(self, flow_id: str) -> RawFlow | None:
        return next((f for f in self.docs.flows if f.id == flow_id), None)

    def group(self, prefix: str) -> list[TextRow]:
        return [row for ctx, row in self.rows.items() if ctx == prefix or ctx.startswith(prefix + ".")]

    def step_rows(self, step: RawStep) -> list[TextRow]:
        return self.group(f"{step.flow}.{step.id}")

    def responses_of(self, flow: RawFlow) -> list[TextRow]:
        return [self.rows[f"responses.{n}"] for n, i in self.docs.responses.items() if i.path == flow.path]

    def counts(self, rows: list[TextRow]) -> dict[str, dict[str, int]]:
        """Per translated language: how many of these texts are missing, fuzzy, to review."""
        table = {lang: {MISSING: 0, FUZZY: 0, REVIEW: 0} for lang in LANGUAGES if lang != SOURCE_LANGUAGE}
        for row in rows:
            for lang, cell in row.cells.items():
                if cell.state in (MISSING, FUZZY, REVIEW):
                    table[lang][cell.state] += 1
        return table


def _label(ctx: str) -> str:
    parts = ctx.split(".")
    if parts[-1] in ("say", "hint", "title"):
        return {"say": "Text", "hint": "Hint (when not understood)", "title": "Title"}[parts[-1]]
    if len(parts) == 4 and parts[2] == "choices":
        return f"Button '{parts[3]}'"
    return parts[-1]


def overview(source: ContentSource) -> Overview:
    docs, catalogs, errors = read_pack(source)
    view = Overview(docs, catalogs, errors + docs.errors)
    for item in docs.texts():
        cells = {SOURCE_LANGUAGE: Cell(item.source, OK)}
        for lang in LANGUAGES:
            if lang == SOURCE_LANGUAGE:
                continue
            entry = catalogs.entries.get(lang, {}).get(item.ctx)
            if entry is None or not entry.msgstr:
                cells[lang] = Cell("", MISSING)
            elif entry.fuzzy or entry.msgid != item.source:
                was = entry.previous or (entry.msgid if entry.msgid != item.source else "")
                cells[lang] = Cell(entry.msgstr.rstrip("\n"), FUZZY, was.rstrip("\n"))
            else:
                cells[lang] = Cell(entry.msgstr.rstrip("\n"), REVIEW if entry.needs_review else OK)
        view.rows[item.ctx] = TextRow(item, _label(item.ctx), cells)
    return view
