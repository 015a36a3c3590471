"""Developer tool: write translations from a YAML file (msgctxt -> language -> text) into the .po files.

    python tools/fill_translations.py translations.yaml

A key `_review: {lang: [msgctxt, ...]}` adds a "review" translator comment, asking a native
speaker to check those entries. Run `puente i18n extract` first so every msgctxt exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from bot.content.extract import render_po
from bot.content.pofile import read_catalog
from bot.content.source import po_path

ROOT = Path(__file__).resolve().parent.parent


def main(path: str) -> int:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    review = data.pop("_review", {}) or {}
    missing = 0
    for lang in ("ht", "fr", "en", "pt"):
        target = ROOT / po_path(lang)
        catalog = read_catalog(target.read_text(encoding="utf-8"), lang)
        by_ctx = {m.context: m for m in catalog if m.id}
        for ctx, texts in data.items():
            if lang not in texts:
                continue
            message = by_ctx.get(ctx)
            if message is None:
                print(f"{ctx}: not in {target} (run `puente i18n extract`)", file=sys.stderr)
                missing += 1
                continue
            message.string = texts[lang].rstrip("\n") if message.id.endswith("\n") is False else texts[lang]
            message.flags.discard("fuzzy")
            message.previous_id = []
        for ctx in review.get(lang, []):
            message = by_ctx.get(ctx)
            if message is not None and not any("review" in c for c in message.user_comments):
                message.user_comments.append("review: native speaker, please check")
        target.write_text(render_po(catalog), encoding="utf-8")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
