"""A content pack as files: dialogs/*.yaml and locales/<lang>/LC_MESSAGES/messages.po, by path."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.languages import LANGUAGES


def po_path(lang: str) -> str:
    return f"locales/{lang}/LC_MESSAGES/messages.po"


@dataclass(frozen=True)
class ContentSource:
    """File texts by relative path. The same shape comes from a checkout or a stored revision."""

    files: Mapping[str, str]

    @classmethod
    def from_directory(cls, root: Path) -> ContentSource:
        files: dict[str, str] = {}
        for path in sorted((root / "dialogs").glob("**/*.yaml")):
            files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
        for lang in LANGUAGES:
            po = root / po_path(lang)
            if po.is_file():
                files[po_path(lang)] = po.read_text(encoding="utf-8")
        return cls(files)

    def dialogs(self) -> list[tuple[str, str]]:
        return sorted((p, t) for p, t in self.files.items() if p.startswith("dialogs/"))

    def po(self, lang: str) -> str | None:
        return self.files.get(po_path(lang))

    def digest(self) -> str:
        h = hashlib.sha256()
        for path in sorted(self.files):
            h.update(path.encode() + b"\0" + self.files[path].encode() + b"\0")
        return h.hexdigest()[:12]

    def write_to(self, root: Path) -> list[Path]:
        written = []
        for rel, text in sorted(self.files.items()):
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
        return written
