"""Any valid catalog and scenario give a PDF, and a failure is a message (app and CLI), never a traceback."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from planner.cli import main
from planner.model.scenario import Scenario
from planner.report import ReportError, build_report, report_or_error_pdf
from pricing.loader import parse_catalog


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _override(llm: str, body: str) -> str:
    return f"extends: default\nllms:\n  {llm}:\n{body}"


def _yaml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"') + '"'


TALL = {
    # a figure's note of 1,000 characters, all line breaks: one table row taller than a page
    "note of line breaks": lambda llm: _override(
        llm,
        "    input_usd_per_1m_tokens:\n      value: 0.15\n      source: https://example.com/prices\n"
        f"      checked: 2026-11-30\n      note: {_yaml_string('x' + chr(10) * 999)}\n",
    ),
    # a name of 200 characters, every other one a line break
    "tall name": lambda llm: _override(llm, f"    name: {_yaml_string(('n' + chr(10)) * 100)}\n"),
    # a source of 500 characters, all line breaks
    "tall source": lambda llm: _override(
        llm,
        f"    input_usd_per_1m_tokens:\n      value: 0.15\n      source: {_yaml_string('s' + chr(10) * 499)}\n"
        "      checked: 2026-11-30\n",
    ),
}


@pytest.mark.parametrize("case", list(TALL))
def test_a_valid_catalog_with_very_tall_text_still_gives_a_pdf(case):
    """reportlab raised LayoutError (a table row taller than a page): clipped now, the rest intact."""
    scenario = Scenario()
    catalog = parse_catalog(TALL[case](scenario.stack.llm)).catalog
    pdf = build_report(catalog, scenario)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Assumptions" in text  # the last section is there


def test_a_report_that_cannot_be_built_is_a_message_in_a_pdf(monkeypatch):
    """The app's download builds on click, where no message can be drawn: it gets a PDF that says why."""
    import planner.report.build as build

    def failing(*args, **kwargs):
        raise ReportError("the PDF could not be laid out: something is too tall")

    monkeypatch.setattr(build, "build_report", failing)
    pdf = report_or_error_pdf(parse_catalog(TALL["tall name"](Scenario().stack.llm)).catalog, Scenario())
    assert pdf.startswith(b"%PDF")
    text = " ".join(_text(pdf).split())
    assert "The report could not be built" in text and "something is too tall" in text


def test_the_cli_reports_a_failed_pdf_as_a_message(monkeypatch, tmp_path, capsys):
    import planner.report as report

    def failing(*args, **kwargs):
        raise ReportError("the PDF could not be laid out: something is too tall")

    monkeypatch.setattr(report, "build_report", failing)
    out = tmp_path / "r.pdf"
    code = main(["report", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == "error: the PDF could not be laid out: something is too tall"
    assert "Traceback" not in err and not out.exists()


def test_the_cli_writes_a_pdf_for_a_catalog_with_tall_text(tmp_path, capsys):
    catalog = tmp_path / "tall.yaml"
    catalog.write_text(TALL["note of line breaks"](Scenario().stack.llm), encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert main(["report", "--catalog", str(catalog), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
