"""YAML for staff-written files: line numbers kept, duplicate keys refused, 'no' stays a word."""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml


def _refuse(self: object, *args: object, **kwargs: object) -> Any:
    raise TypeError(f"a {type(self).__name__} read from a content file is shared by every pack "
                    "holding that file: build a new value instead of changing it")


class Map(dict[str, Any]):
    """A mapping that remembers the line of itself and of each key. Read-only once read (a file
    read before is not parsed again, and its values are shared: see load_yaml)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    __setitem__ = __delitem__ = __ior__ = pop = popitem = setdefault = update = clear = _refuse  # type: ignore[assignment]


class Seq(list[Any]):
    """A list that remembers the line of itself and of each item; read-only, as Map."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line

    __setitem__ = __delitem__ = __iadd__ = __imul__ = append = extend = insert = pop = remove = clear = sort = reverse = _refuse  # type: ignore[assignment]


class YamlError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml's parser when PyYAML has it (the usual wheels do): the same nodes, marks and errors,
# about twenty times faster on the content pack (the training data of dialogs/nlu/ is large).
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    pass


# PyYAML's parser in C (libyaml) reads the same nodes, marks and lines about seven times faster:
# every admin page and every publication reads the whole pack. Its error messages are terser,
# so a file it refuses is read again by _Loader for the message staff see.
class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


# YAML 1.1 reads yes/no/on/off as booleans: a Spanish "no" must stay the word "no".
_RESOLVERS = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _loader in (_Loader, _FastLoader):
    _loader.yaml_implicit_resolvers = {first: list(resolvers) for first, resolvers in _RESOLVERS.items()}
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )


def _map(loader: _Loader, node: yaml.MappingNode) -> Map:
    result = Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float)):
            raise YamlError(line, "a key must be a plain word")
        key = str(key)
        if key in result:
            raise YamlError(line, f"'{key}' appears twice here (first on line {result.key_lines[key]})")
        dict.__setitem__(result, key, loader.construct_object(value_node, deep=True))
        result.key_lines[key] = line
    return result


def _seq(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _seq)


# Staff change one file at a time, and every pack the admin shows or checks reads them all: a
# file read before (the same text) is not parsed again. Room for about four versions of each of
# the 15 files (the shipped pack parses into ~1.3 MB).
KEPT_FILES = 64


@functools.lru_cache(maxsize=KEPT_FILES)
def load_yaml(text: str) -> Any:
    """The file's mappings and lists as read-only Map and Seq (shared by every caller of the
    same text); YamlError with the line for a file YAML cannot read."""
    try:
        return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        pass  # read again below for PyYAML's own message
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(line, f"not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlError(0, f"not valid YAML: {error}") from None
