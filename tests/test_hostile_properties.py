"""Issue 16: arbitrary unicode (lone surrogates, control and bidi characters) and huge whole
numbers in answers, --set, batch lines and rules texts. With colour off and output not a
terminal: exit 0 or 2, no traceback, no raw control character on stdout or stderr, and batch
output line N always belongs to input line N.

Run in-process through Click's runner (each example would cost a process start otherwise); the
streams are bytes, as a pipe's are. The same surfaces are driven as separate processes in
test_hostile_input.py."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proc import MINIMAL, MINIMAL_LINE, unsafe_in
from typer.testing import CliRunner

from spinedecide.cli import app

SPECIAL = ["\x1b", "\x07", "\x7f", "\x9b", "\x85", "\u202e", "\u2066", "\ud800", "\udfff", "\r", "\x00", "\t", "\n"]
#: Any code point, surrogates included, with the dangerous ones often.
TEXT = st.text(
    st.one_of(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), st.sampled_from(SPECIAL)),
    max_size=12,
)
HUGE = st.integers(min_value=16, max_value=5000).map(lambda n: "9" * n)
VALUE_TEXT = st.one_of(TEXT.map(lambda t: json.dumps(t)), HUGE, st.sampled_from(['"no"', "50", '"disc"', "null", "[]"]))
KEY = st.one_of(TEXT, st.sampled_from(["age", "smoking", "bmi", "condition"]))
PROPERTY = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
ENV = {"NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "80"}


def invoke(*args: str, input: bytes | None = None):
    result = CliRunner().invoke(app, list(args), input=input, env=ENV)
    assert result.exit_code in (0, 2), (
        result.exit_code,
        result.stdout_bytes[-500:],
        result.stderr_bytes[-2000:],
        result.exception,
    )
    for name, data in (("stdout", result.stdout_bytes), ("stderr", result.stderr_bytes)):
        text = data.decode("utf-8", "replace")
        assert "Traceback" not in text and "internal error" not in text, (name, text[-2000:])
        assert unsafe_in(data) == [], (name, unsafe_in(data), text[-1000:])
    return result


def document(pairs: list[tuple[str, str]]) -> str:
    """A JSON object from keys and already-written JSON values (huge numbers stay as written)."""
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"


@PROPERTY
@given(
    pairs=st.lists(st.tuples(KEY, VALUE_TEXT), max_size=4),
    as_yaml=st.booleans(),
    fmt=st.sampled_from(["text", "json", "note"]),
)
def test_any_answers_file(tmp_path_factory, pairs, as_yaml, fmt):
    path = tmp_path_factory.mktemp("a") / ("me.yaml" if as_yaml else "me.json")
    text = document(pairs)
    if as_yaml:  # YAML flow style: JSON's escapes are YAML's
        text = "\n".join(f"{json.dumps(k)}: {v}" for k, v in pairs) or "{}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    invoke("ask", "--rules", str(MINIMAL), "--no-input", "--format", fmt, "--answers", str(path))


@PROPERTY
@given(items=st.lists(st.tuples(KEY, st.one_of(TEXT, HUGE)), max_size=4))
def test_any_set_items(items):
    args = [a for k, v in items for a in ("--set", f"{k}={v}")]
    invoke("ask", "--rules", str(MINIMAL), "--no-input", *args)


LINE = st.one_of(
    st.lists(st.tuples(KEY, VALUE_TEXT), max_size=3).map(document),
    TEXT.map(lambda t: t.replace("\n", " ").replace("\r", " ").replace("\x85", " ")),
    st.just(MINIMAL_LINE),
    HUGE,
)


@PROPERTY
@given(lines=st.lists(LINE, min_size=1, max_size=8))
def test_any_batch_lines(lines):
    data = "".join(line + "\n" for line in lines).encode("utf-8", "surrogatepass")
    result = invoke("batch", "--rules", str(MINIMAL), "-", input=data)
    out = result.stdout_bytes.decode("utf-8").split("\n")
    assert out[-1] == "" and len(out) - 1 == len(lines), (len(out), len(lines))
    for n, text in enumerate(out[:-1], 1):
        record = json.loads(text)
        assert record.get("line", n) == n and ("schema_version" in record or record["line"] == n), (n, record)


@PROPERTY
@given(title=TEXT, text=TEXT, number=st.one_of(HUGE, st.sampled_from(["110", "1e400", ".inf"])))
def test_any_rules_texts(tmp_path_factory, title, text, number):
    rules = MINIMAL.read_text(encoding="utf-8")
    rules = rules.replace('title: "Test rules"', f"title: {json.dumps(title)}").replace(
        '"Test disclaimer."', json.dumps(text)
    )
    rules = rules.replace("max: 110", f"max: {number}")
    path = tmp_path_factory.mktemp("r") / "clinic.yaml"
    path.write_bytes(rules.encode("utf-8", "surrogatepass"))
    invoke("about", "--rules", str(path))
    invoke("ask", "--rules", str(path), "--no-input", "--answers", "-", input=MINIMAL_LINE.encode())
