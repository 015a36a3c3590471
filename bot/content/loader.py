"""Loading a content pack: read, validate, compile; refuse broken content with every error."""

from __future__ import annotations

import threading
from collections import OrderedDict

from bot.content.catalog import CatalogError, Catalogs
from bot.content.compile import compile_content
from bot.content.document import ContentError, Documents, read_documents
from bot.content.screen import screen_errors
from bot.content.source import ContentSource
from bot.content.validate import validate
from bot.engine.model import CompiledContent


class ContentInvalid(Exception):
    """Content that must not go live; `errors` name file, line and fix."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} content error(s)")
        self.errors = errors

    def report(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def read_pack(source: ContentSource) -> tuple[Documents, Catalogs, list[ContentError]]:
    docs = read_documents(source.dialogs())
    errors: list[ContentError] = []
    try:
        catalogs = Catalogs.from_source(source)
    except CatalogError as error:
        errors.append(ContentError(error.path, error.line, error.message,
                                   "fix the file in Poedit or restore it from git"))
        catalogs = Catalogs({})
    return docs, catalogs, errors


# The answers of check_content for the last few packs: the answer depends only on the files and
# the action names, and the admin asks it of the same pack several times (the pack before an
# edit, the edit at save, the same draft at publish), 0.3-1 s each.
KEPT_CHECKS = 8
_checked: OrderedDict[tuple[str, frozenset[str]], tuple[ContentError, ...]] = OrderedDict()
_checked_lock = threading.Lock()


def check_content(source: ContentSource, actions: set[str]) -> list[ContentError]:
    """Every mistake `puente dialogs check` reports: the validator's, then (on content that
    compiles) topics longer than one phone screen. Asked again of the same files and actions,
    the answer is remembered (the last KEPT_CHECKS packs)."""
    key = _key(source, actions)
    known = _known(key)
    if known is not None:
        return list(known)
    found, _ = _examine(source, actions)
    _remember(key, found)
    return found


def _key(source: ContentSource, actions: set[str]) -> tuple[str, frozenset[str]]:
    return (source.digest(), frozenset(actions))


def _known(key: tuple[str, frozenset[str]]) -> tuple[ContentError, ...] | None:
    with _checked_lock:
        if key in _checked:
            _checked.move_to_end(key)
            return _checked[key]
    return None


def _remember(key: tuple[str, frozenset[str]], errors: list[ContentError]) -> None:
    with _checked_lock:
        _checked[key] = tuple(errors)
        while len(_checked) > KEPT_CHECKS:
            _checked.popitem(last=False)


def load_content(source: ContentSource, actions: set[str], revision: str | None = None) -> CompiledContent:
    """Compiled content, or ContentInvalid listing every problem (the same list check_content
    gives: a pack checked before, e.g. at save or publish, is not validated again)."""
    key = _key(source, actions)
    known = _known(key)
    if known:
        raise ContentInvalid(list(known))
    errors, content = _examine(source, actions, revision, checked=known is not None)
    if known is None:
        _remember(key, errors)
    if errors or content is None:
        raise ContentInvalid(errors)
    return content


def _examine(source: ContentSource, actions: set[str], revision: str | None = None, *,
             checked: bool = False) -> tuple[list[ContentError], CompiledContent | None]:
    """Read, validate, compile, then the screen check: the errors, and the compiled content
    when there were none. `checked`: a pack known to pass skips the validator and the screens."""
    docs, catalogs, errors = read_pack(source)
    if checked:
        return [], compile_content(docs, catalogs, revision or source.digest())
    errors += validate(docs, catalogs, actions)
    if errors:
        return errors, None
    content = compile_content(docs, catalogs, revision or source.digest())
    errors = _screens(docs, content)
    return errors, None if errors else content


def _screens(docs: Documents, content: CompiledContent) -> list[ContentError]:
    return screen_errors(content, {flow.id: flow.path for flow in docs.flows})
