"""The commands around `ask`: questions, schema, sources, about, rules check/show/init, and --format note."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import minimal_answers
from typer.testing import CliRunner

from spinedecide.cli import app

MINIMAL = str(Path(__file__).parent / "data" / "minimal.yaml")
COMPLETE = [
    "--set",
    "bladder_bowel=yes",
    "--set",
    "age=50",
    "--set",
    "smoking=current",
    "--set",
    "diabetes=no",
    "--set",
    "bmi=25",
    "--set",
    "condition=disc",
]
runner = CliRunner()


def test_questions_text_json_and_fhir():
    text = runner.invoke(app, ["questions", "--rules", MINIMAL])
    assert text.exit_code == 0 and "bladder_bowel" in text.stdout
    listed = json.loads(runner.invoke(app, ["questions", "--rules", MINIMAL, "--format", "json"]).stdout)
    assert [q["id"] for q in listed][0] == "bladder_bowel"
    fhir = json.loads(runner.invoke(app, ["questions", "--rules", MINIMAL, "--format", "fhir"]).stdout)
    assert fhir["resourceType"] == "Questionnaire"


def test_schema_commands_print_json_schemas():
    for name in ("answers", "report", "rules"):
        result = runner.invoke(app, ["schema", name])
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert runner.invoke(app, ["schema", "nonsense"]).exit_code == 2


def test_sources_lists_citations():
    result = runner.invoke(app, ["sources", "--rules", MINIMAL])
    assert result.exit_code == 0
    assert "[1] s1: Test source one. https://example.org/1" in result.stdout
    data = json.loads(runner.invoke(app, ["sources", "--rules", MINIMAL, "--format", "json"]).stdout)
    assert data[1] == {
        "id": "s2",
        "citation": "Test source two.",
        "pmid": "12345",
        "doi": None,
        "url": None,
        "secondary": None,
        "read": None,
    }


def test_about_shows_the_ipdas_metadata():
    result = runner.invoke(app, ["about", "--rules", MINIMAL])
    assert result.exit_code == 0
    for text in (
        "Rules version: 0.0.1",
        "Update policy: Test file; never shipped.",
        "Funding: none",
        "Conflicts of interest: none",
        "sha256: ",
    ):
        assert text in result.stdout
    data = json.loads(runner.invoke(app, ["about", "--format", "json"]).stdout)
    assert len(data["sha256"]) == 64 and data["funding"] and data["reviewers"]


def test_rules_check_ok_and_failing(tmp_path):
    ok = runner.invoke(app, ["rules", "check", MINIMAL])
    assert ok.exit_code == 0, ok.stdout
    assert "OK: 0 errors" in ok.stdout
    broken = tmp_path / "clinic.yaml"
    broken.write_text(
        Path(MINIMAL)
        .read_text()
        .replace('when: {age: {">=": 80}}', 'when: {age: {">=": 80, "<": 65}}')
        .replace('{smoking: current}\n    text: "Smoking doubles', '{smokin: current}\n    text: "Smoking doubles')
    )
    bad = runner.invoke(app, ["rules", "check", str(broken), "--format", "json"])
    assert bad.exit_code == 2
    data = json.loads(bad.stdout)
    assert data["ok"] is False
    assert any("did you mean 'smoking'" in e["message"] for e in data["errors"])
    assert all(e["line"] for e in data["errors"])


def test_rules_check_can_never_fire_is_reported(tmp_path):
    broken = tmp_path / "clinic.yaml"
    broken.write_text(Path(MINIMAL).read_text().replace('when: {age: {">=": 80}}', 'when: {age: {">=": 80, "<": 65}}'))
    result = runner.invoke(app, ["rules", "check", str(broken)])
    assert result.exit_code == 2
    assert "rule 'old_death' can never apply" in result.stdout


def test_rules_check_ipdas_lists_every_criterion():
    result = runner.invoke(app, ["rules", "check", "--ipdas", "--format", "json"])
    data = json.loads(result.stdout)
    numbers = [c["number"] for c in data["ipdas"]]
    assert numbers[:6] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.2.1"]
    assert {"2.1.1", "2.2.1", "2.2.2", "2.2.3", "2.2.4", "2.3.1"} <= set(numbers)
    failing = [c for c in data["ipdas"] if c["status"] == "not met" and c["level"] in ("qualifying", "certifying")]
    assert (result.exit_code == 2) == bool(failing)


def test_rules_show_rule_finding_and_unknown():
    rule = runner.invoke(app, ["rules", "show", "smoking_infection", "--rules", MINIMAL])
    assert rule.exit_code == 0
    assert "when: smoking = current" in rule.stdout
    assert (
        "changes op_infection [risk, option op]: Infection (typical 2 in 100, within 30 days): "
        "multiplies the figure by 2" in rule.stdout
    )
    finding = runner.invoke(app, ["rules", "show", "op_infection", "--rules", MINIMAL])
    assert "tailored by rule diabetes_infection" in finding.stdout
    unknown = runner.invoke(app, ["rules", "show", "smoking_infektion", "--rules", MINIMAL])
    assert unknown.exit_code == 2 and "did you mean 'smoking_infection'" in unknown.stderr


def test_rules_init_copies_the_shipped_file(tmp_path):
    target = tmp_path / "clinic.yaml"
    assert runner.invoke(app, ["rules", "init", str(target)]).exit_code == 0
    assert runner.invoke(app, ["rules", "check", str(target), "--format", "json"]).stdout
    again = runner.invoke(app, ["rules", "init", str(target)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert runner.invoke(app, ["rules", "init", str(target), "--force"]).exit_code == 0


def test_note_format_is_short_plain_and_complete():
    result = runner.invoke(app, ["ask", "--rules", MINIMAL, "--format", "note", *COMPLETE])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) <= 25
    assert "\x1b[" not in result.stdout
    text = " ".join(result.stdout.split())  # the note wraps long lines
    for expected in (
        "RED FLAGS reported by the patient: Emergency",
        "Options discussed: Operation; Wait.",
        "infection 4/100 (typical 2)",
        "rules 0.0.1",
        "funding: none",
        "Conflicts: none",
    ):
        assert expected in text, expected
    assert "SURE:" not in text and "Leaning:" not in text  # no decision support while a red flag is present


def all_commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    found = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += [[name, sub] for sub in command.commands]
        else:
            found.append([name])
    return found


def test_every_command_has_help_with_examples():
    commands = all_commands()
    assert ["ask"] in commands and ["rules", "check"] in commands
    for args in commands:
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, args
        assert "Examples:" in result.stdout, args


def test_python_api_equals_the_json_output():
    from spinedecide import Report, assess, load_rules

    rules = load_rules(MINIMAL)
    answers = minimal_answers(smoking="current")
    report = assess(rules, answers)
    assert isinstance(report, Report)
    cli = runner.invoke(
        app, ["ask", "--rules", MINIMAL, "--format", "json", *[f"--set={k}={v}" for k, v in answers.items()]]
    )
    assert json.loads(cli.stdout) == report.to_dict()


def test_a_long_note_is_shortened_but_keeps_red_flags_sure_and_the_aid():
    import io

    import yaml

    from spinedecide import assess, load_rules
    from spinedecide.render import render

    answers = yaml.safe_load((Path(__file__).resolve().parents[1] / "examples" / "answers-stenosis.yaml").read_text())
    answers.update(
        age=82,
        diabetes="yes",
        heart_disease="yes",
        weight_kg=110,
        condition="spondylolisthesis",
        value_fast_relief="very",
        value_avoid_surgery_risks="somewhat",
        value_time_off_work="very",
        value_long_recovery="very",
        value_keep_options_open="somewhat",
        leaning="unsure",
        sure_sure="no",
        sure_understand="no",
        sure_risk_benefit="yes",
        sure_encouragement="no",
    )
    out = io.StringIO()
    render(assess(load_rules(), answers), "note", out)
    text = out.getvalue()
    assert len(text.splitlines()) <= 25
    flat = " ".join(text.split())
    for kept in (
        "Red flags: none reported",
        "SURE: 1/4",
        "Leaning:",
        "About the aid:",
        "Conflicts:",
        "does not replace",
    ):
        assert kept in flat, kept
    assert flat.count("(Shortened;") <= 1


def test_the_app_built_for_one_command_behaves_like_the_whole_app():
    # main() builds only the command being run (start-up); what a user sees must not change.
    from spinedecide.cli import app_for

    names = ["ask", "batch", "questions", "schema", "sources", "about", "rules"]
    for name in names:
        only = app_for([name])
        assert only is not app
        assert runner.invoke(only, [name, "--help"]).stdout == runner.invoke(app, [name, "--help"]).stdout
        assert (
            runner.invoke(only, [name, "--no-such-option"]).stderr
            == runner.invoke(app, [name, "--no-such-option"]).stderr
        )
    assert (
        runner.invoke(app_for(["rules"]), ["rules", "show", "--help"]).stdout
        == runner.invoke(app, ["rules", "show", "--help"]).stdout
    )
    sources = runner.invoke(app_for(["sources"]), ["sources", "--rules", MINIMAL])
    assert sources.exit_code == 0 and "[1] s1: Test source one." in sources.stdout
    # No command, a top-level option or a misspelt command get the whole app (help, suggestions).
    for argv in ([], ["--help"], ["--version"], ["akk"]):
        assert app_for(argv) is app
    assert "ask" in runner.invoke(app_for(["akk"]), ["akk"]).stderr


WITH_SECONDARY = 'secondary: {citation: "A trial summary.", url: "https://example.org/summary"}'


def test_a_source_read_in_a_secondary_source_says_so_everywhere(tmp_path):
    # The content authors' request: when a figure was read in a summary, not the paper, the
    # reader is told where, with a link, in the sources list and in every report format.
    rules = tmp_path / "clinic.yaml"
    rules.write_text(
        Path(MINIMAL)
        .read_text(encoding="utf-8")
        .replace(
            '{id: s2, citation: "Test source two.", pmid: "12345"}',
            '{id: s2, citation: "Test source two.", pmid: "12345", ' + WITH_SECONDARY + "}",
        ),
        encoding="utf-8",
    )
    listed = runner.invoke(app, ["sources", "--rules", str(rules)])
    assert (
        "[2] s2: Test source two. PMID 12345. As summarised in: A trial summary. https://example.org/summary"
        in listed.stdout
    )
    data = json.loads(runner.invoke(app, ["sources", "--rules", str(rules), "--format", "json"]).stdout)
    assert data[1]["secondary"] == {"citation": "A trial summary.", "url": "https://example.org/summary"}
    answers = [*COMPLETE, "--set", "age=85", "--no-input", "--rules", str(rules)]  # age 85: a rule citing s2 fires
    report = json.loads(runner.invoke(app, ["ask", *answers, "--format", "json"]).stdout)
    s2 = next(s for s in report["sources"] if s["id"] == "s2")
    assert s2["secondary"] == {"citation": "A trial summary.", "url": "https://example.org/summary"}
    for fmt in ("text", "markdown", "html"):
        out = runner.invoke(app, ["ask", *answers, "--format", fmt]).stdout
        assert "As summarised in: A trial summary." in out and "https://example.org/summary" in out, fmt
    html = runner.invoke(app, ["ask", *answers, "--format", "html"]).stdout
    assert '<a href="https://example.org/summary">' in html


def test_a_source_says_how_it_was_read_everywhere_and_a_bad_value_names_the_field(tmp_path):
    # Issue 15: each source entry says how it was read (abstract, full text or a named summary).
    base = Path(MINIMAL).read_text(encoding="utf-8")
    old = '{id: s2, citation: "Test source two.", pmid: "12345"}'
    rules = tmp_path / "clinic.yaml"
    rules.write_text(
        base.replace(old, '{id: s2, citation: "Test source two.", pmid: "12345", read: abstract}'), encoding="utf-8"
    )
    listed = runner.invoke(app, ["sources", "--rules", str(rules)])
    assert "[2] s2: Test source two. PMID 12345. Read: the abstract." in listed.stdout
    assert (
        json.loads(runner.invoke(app, ["sources", "--rules", str(rules), "--format", "json"]).stdout)[1]["read"]
        == "abstract"
    )
    answers = [*COMPLETE, "--set", "age=85", "--no-input", "--rules", str(rules)]
    report = json.loads(runner.invoke(app, ["ask", *answers, "--format", "json"]).stdout)
    assert next(s for s in report["sources"] if s["id"] == "s2")["read"] == "abstract"
    for fmt in ("text", "markdown", "html"):
        assert "Read: the abstract." in runner.invoke(app, ["ask", *answers, "--format", fmt]).stdout, fmt
    for bad, says in (
        ("read: skimmed", "read must be one of abstract, full_text, summary"),
        ("read: summary", "read: summary needs the summary named"),
    ):
        rules.write_text(
            base.replace(old, '{id: s2, citation: "Test source two.", pmid: "12345", ' + bad + "}"), encoding="utf-8"
        )
        result = runner.invoke(app, ["rules", "check", str(rules)])
        said = result.stdout + result.stderr
        assert result.exit_code == 2 and says in said and "clinic.yaml" in said, said
