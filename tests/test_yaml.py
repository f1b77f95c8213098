from __future__ import annotations

import time

import pytest

from spinedecide import _yaml


def test_mappings_remember_lines():
    data = _yaml.safe_load("a: 1\nb:\n  c: 2\nlist:\n  - x\n  - y\n")
    assert data.line_of("a") == 1
    assert data.line_of("b") == 2
    assert data["b"].line_of("c") == 3
    assert data["list"].line_of(1) == 6


def test_duplicate_key_is_refused_with_both_lines():
    with pytest.raises(_yaml.YamlProblem) as err:
        _yaml.safe_load("age: 60\nsmoking: never\nage: 61\n")
    assert err.value.line == 3
    assert "duplicate key 'age'" in err.value.message and "line 1" in err.value.message


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "a: !!python/name:os.system ''",
        "a: !!python/object:collections.OrderedDict {}",
    ],
)
def test_python_tags_never_construct_objects(text):
    with pytest.raises(_yaml.YamlProblem) as err:
        _yaml.safe_load(text)
    assert err.value.line == 1


def test_billion_laughs_is_refused_quickly():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    started = time.perf_counter()
    with pytest.raises(_yaml.YamlProblem) as err:
        _yaml.safe_load("\n".join(lines))
    assert "aliases" in err.value.message
    # Not a timing assertion on the machine's speed: a refused bomb must not take anywhere near
    # the time of expanding 10**9 nodes (which would be hours).
    assert time.perf_counter() - started < 30


def test_deep_nesting_is_refused():
    with pytest.raises(_yaml.YamlProblem) as err:
        _yaml.safe_load("a: " + "[" * 500 + "]" * 500)
    assert "nested too deeply" in err.value.message


def test_syntax_error_names_the_line():
    with pytest.raises(_yaml.YamlProblem) as err:
        _yaml.safe_load("a: 1\nb: [1, 2\nc: 3\n")
    assert err.value.line in (2, 3, 4)


def test_non_utf8_names_the_line():
    with pytest.raises(_yaml.YamlProblem) as err:
        _yaml.decode(b"age: 60\nname: \xff\xfe\n")
    assert err.value.line == 2
    assert "UTF-8" in err.value.message


def test_yes_and_no_are_yaml_booleans_and_quoted_numbers_strings():
    data = _yaml.safe_load('diabetes: no\nsmoking: "yes"\nage: "67"\n')
    assert data == {"diabetes": False, "smoking": "yes", "age": "67"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\n\tb: 2\n", 2, "a tab character (column 1): YAML needs spaces for indentation, not tabs"),
        ("a: {b: 1\nc: 2\n", 2, "a { ... } mapping is not closed, or an item in it lacks a comma"),
        ("a: [1, 2\nb: 3\n", 2, "a [ ... ] list is not closed, or an item in it lacks a comma"),
        ("a: b: c\n", 1, "a ':' where YAML did not expect one (column 5)"),
    ],
)
def test_common_yaml_slips_are_explained(text, line, message):
    with pytest.raises(_yaml.YamlProblem) as err:
        _yaml.safe_load(text)
    assert err.value.line == line
    assert message in err.value.message
