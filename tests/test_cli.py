"""The command line: formats, messages a person can act on, exit codes, no tracebacks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from polevents.cli import main

ARTICLE = """Leaders Meet

Published: June 6, 2012

BEIJING, China — The leaders of Russia and China met Tuesday to discuss trade and energy cooperation.
"""


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def run(runner, *args, input=None):
    result = runner.invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def test_code_jsonl_prints_event_records(runner, tmp_path, coder):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(runner, "code", "--format", "jsonl", str(path))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["source"]["code"], r["cameo"], r["target"]["code"]) for r in records} == {
        ("RUSGOV", "040", "CHNGOV"), ("CHNGOV", "040", "RUSGOV")}
    assert all(r["date"] == "2012-06-05" and r["published"] == "2012-06-06" for r in records)


def test_code_table_has_one_readable_line_per_event(runner, tmp_path, coder):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(runner, "code", "--format", "table", str(path))
    assert result.exit_code == 0
    assert "Consult" in result.stdout and "RUSGOV" in result.stdout and "[met]" in result.stdout


def test_published_option_overrides(runner, tmp_path, coder):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(runner, "code", "--format", "jsonl", "--published", "2012-06-13", str(path))
    assert {json.loads(line)["date"] for line in result.stdout.splitlines()} == {"2012-06-12"}


def test_bad_published_date_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["code", "--published", "June", "x.txt"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 20, "binary"),
        ("nothing.html", b"<html><head><title>x</title></head><body><script>1</script></body></html>", "no_text"),
        ("missing.txt", None, "not_found"),
    ],
)
def test_unreadable_input_is_a_clear_message_and_exit_1(runner, tmp_path, coder, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run(runner, "code", "--format", "jsonl", str(path))
    assert result.exit_code == 1
    assert f"[{reason}]" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr


def test_non_utf8_text_is_read_with_a_note(runner, tmp_path, coder):
    path = tmp_path / "latin1.txt"
    path.write_bytes("France condemned Syria on Tuesday, said the président.".encode("cp1252"))
    result = run(runner, "code", "--format", "jsonl", "--published", "2012-06-06", str(path))
    assert result.exit_code == 0
    assert "not UTF-8" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["target"]["code"] == "SYR"


def test_one_bad_input_does_not_stop_the_others(runner, tmp_path, coder):
    good = tmp_path / "good.txt"
    good.write_text("France condemned Syria on Tuesday.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = run(runner, "code", "--format", "jsonl", str(tmp_path))
    assert result.exit_code == 0
    assert "bad.txt" in result.stderr and len(result.stdout.splitlines()) == 1


def test_stdin(runner, coder):
    result = run(runner, "code", "--format", "jsonl", "--published", "2012-06-06", "-",
                 input="France condemned Syria on Tuesday.")
    assert result.exit_code == 0 and json.loads(result.stdout)["doc_id"] == "stdin"


def test_malformed_actors_file_names_the_line(runner, tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text("people:\n  - id: x\n    roles:\n      - {code: XYZGOV, since: not-a-date}\n", encoding="utf-8")
    result = runner.invoke(main, ["code", "--actors", str(path), "-"], input="text")
    assert result.exit_code == 1
    assert "line 4" in result.output and "not a date" in result.output
    assert "Traceback" not in result.output


def test_actors_resolve_json(runner, coder):
    result = run(runner, "actors", "resolve", "the Kremlin", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["code"] == "RUSGOV"
    result = run(runner, "actors", "resolve", "Pakistani army spokesman", "--format", "json")
    assert json.loads(result.stdout)["code"] == "PAKMIL"


def test_actors_resolve_unknown_says_so(runner, coder):
    result = run(runner, "actors", "resolve", "the blue sky")
    assert result.exit_code == 1 and "not an actor" in result.stderr


def test_help_explains(runner):
    result = run(runner, "code", "--help")
    assert "jsonl" in result.output and "--published" in result.output and "stdin" in result.output
