"""YAML in one place: safe loading only (the C loader when present), with line numbers.

Mappings and sequences come back as :class:`LineDict` / :class:`LineList`, which remember the
line of each key or item, so a problem found later can name ``file:line``. Duplicate keys are
refused, and so are documents whose aliases would expand into something huge.
"""

from __future__ import annotations

from typing import Any

import yaml

from ._lines import MAX_DIGITS, LineDict, LineList
from ._lines import YamlProblem as YamlProblem  # re-exported: readers of YAML catch _yaml.YamlProblem
from ._lines import decode as decode  # re-exported: bytes to text, as the YAML readers need

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Refuse documents whose aliases expand past this many nodes ("billion laughs").
MAX_EXPANDED_NODES = 200_000


class _LineLoader(SafeLoader):  # type: ignore[misc]  # SafeLoader is Any: the C loader when present
    pass


def _construct_map(loader: Any, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise YamlProblem("a key must be a plain value, not a list or mapping", line) from None
        if key in data:
            raise YamlProblem(f"duplicate key {key!r} (first given on line {data.key_lines[key]})", line)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_seq(loader: Any, node: yaml.SequenceNode) -> Any:
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(item.start_mark.line + 1)


def _construct_int(loader: Any, node: yaml.ScalarNode) -> Any:
    digits = sum(c.isdigit() for c in str(node.value))
    if digits > MAX_DIGITS:
        raise YamlProblem(
            f"a number with {digits:,} digits is too large (at most {MAX_DIGITS})", node.start_mark.line + 1
        )
    return SafeLoader.construct_yaml_int(loader, node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _check_expansion(root: yaml.Node) -> None:
    """Count nodes as if every alias were copied; refuse a document that explodes."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # guards against recursive aliases
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
                if total > MAX_EXPANDED_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
                if total > MAX_EXPANDED_NODES:
                    break
        sizes[key] = total
        return total

    # Deeply nested input must not exhaust the stack either.
    def depth_ok(node: yaml.Node, limit: int = 60) -> bool:
        stack = [(node, 0)]
        seen: set[int] = set()
        while stack:
            current, depth = stack.pop()
            if depth > limit:
                return False
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current, yaml.MappingNode):
                stack.extend((n, depth + 1) for pair in current.value for n in pair)
            elif isinstance(current, yaml.SequenceNode):
                stack.extend((n, depth + 1) for n in current.value)
        return True

    if not depth_ok(root):
        raise YamlProblem("the document is nested too deeply", root.start_mark.line + 1)
    if size(root) > MAX_EXPANDED_NODES:
        if len(sizes) > MAX_EXPANDED_NODES // 2:  # large as written, not because of aliases
            raise YamlProblem(
                f"the document has too many values (over {MAX_EXPANDED_NODES // 2:,})", root.start_mark.line + 1
            )
        raise YamlProblem("the document is too large once its aliases (*name) are expanded", root.start_mark.line + 1)


def safe_load(text: str, *, max_keys: int | None = None, too_many: str = "too many keys") -> Any:
    """Parse one YAML document safely. Raises :class:`YamlProblem` with a 1-based line.

    With ``max_keys``, a top-level mapping with more keys is refused as ``too_many`` ("too many
    answers: 100,000, at most 1,000")."""
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if max_keys is not None and isinstance(node, yaml.MappingNode) and len(node.value) > max_keys:
            raise YamlProblem(f"{too_many}: {len(node.value):,}, at most {max_keys:,}", node.start_mark.line + 1)
        _check_expansion(node)
        return loader.construct_document(node)
    except YamlProblem:
        raise
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as ESC
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        from .display import describe

        what = describe(chr(exc.character)) if isinstance(exc.character, int) else "a character"
        raise YamlProblem(f"the character {what} is not allowed here; remove it", line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(_explain(exc, text, mark), mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"not valid YAML: {exc}", None) from None
    except RecursionError:
        raise YamlProblem("the document is nested too deeply", None) from None
    finally:
        loader.dispose()


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False, allow_unicode=True)


def _explain(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    """PyYAML's message, with the column and, for the usual slips, what to do."""
    message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or "not valid YAML"
    where = f" (column {mark.column + 1})" if mark is not None else ""
    line = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
    if "\t" in line[: mark.column + 1 if mark is not None else 0] or (
        "\t" in line and "cannot start any token" in message
    ):
        return f"a tab character{where}: YAML needs spaces for indentation, not tabs"
    if "did not find expected ',' or '}'" in message:
        return f"a {{ ... }} mapping is not closed, or an item in it lacks a comma{where}"
    if "did not find expected ',' or ']'" in message:
        return f"a [ ... ] list is not closed, or an item in it lacks a comma{where}"
    if "mapping values are not allowed" in message:
        return (
            f"a ':' where YAML did not expect one{where}; "
            "put text that contains ': ' in quotes, or check the indentation"
        )
    return f"{message}{where}"
