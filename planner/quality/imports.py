"""Eval result files → measured pass rates and sample sizes per option.

Formats, detected from the content (docs/formulas.md, "Eval-file import", gives each mapping):

* promptfoo   `promptfoo eval --output results.json`: `results.results[]`, each with `success` (true/false) and
              `provider` (`label` or `id`); the option is the provider (with the prompt's label when the file
              holds several prompts).
* inspect     an Inspect AI log written as JSON (`--log-format json`): `eval.model`, `samples[]` each with
              `scores.<scorer>.value`; "C" (or true, or 1) passes, "I", "P", "N" (or false, or a number below 1)
              fail. The scorer is the first in `results.scores`, else the first in each sample.
* openai_evals the JSON-lines record `oaieval` writes: a `{"spec": ...}` line (the option is its
              `completion_fns`), then events; every `"type": "match"` event is one case, `data.correct` its result.
* deepeval    a DeepEval test run saved as JSON: `testCases[]` (and `conversationalTestCases[]`), each with
              `success`; the option is `hyperparameters.model` when present.
* csv         the generic CSV: a header with `option`, `case_id` and `passed` (true/false, 1/0, yes/no,
              pass/fail); one row per case; a case listed twice for one option is an error.

Errors name the file and the place (line and column, or the JSON path) and say what to fix; a file is read
whole before anything is applied.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pricing.errors import InputError, Problem
from pricing.safefile import read_regular_file
from pricing.safeyaml import too_big

#: the largest eval file read (bytes); a bigger one is refused before it is read
MAX_EVAL_BYTES = 50_000_000
#: How an eval file above the limit is told (the end of `pricing.safeyaml.too_big`'s sentence).
EVAL_SIZE_NOTE = " for an eval file"
#: nesting Python's JSON decoder cannot follow (a hostile file): refused instead of a RecursionError
_TOO_DEEP = "the JSON is nested too deeply to be an eval result: export the results again"
FORMATS = ("promptfoo", "inspect", "openai_evals", "deepeval", "csv")
_ARCH_NAMES = {
    "promptonly": "prompt_only",
    "prompt": "prompt_only",
    "longcontext": "long_context",
    "rag": "rag",
    "finetuned": "fine_tuned",
    "finetune": "fine_tuned",
    "hybrid": "hybrid",
}


@dataclass(frozen=True)
class EvalImport:
    """One file: its detected format and, per option named in it, (cases passed, cases)."""

    file: str
    format: str
    counts: dict[str, tuple[int, int]]


def _fail(file: str, message: str, line: int = 1, column: int = 1, path: str = "") -> InputError:
    return InputError([Problem(file, line, column, path, message)])


def read_eval_bytes(path: str | Path, limit: int = MAX_EVAL_BYTES) -> bytes:
    """The bytes of an eval file, refused unless it is a regular file of at most `limit` bytes (never blocks on a
    FIFO: `pricing.safefile.read_regular_file`)."""
    return read_regular_file(path, limit, EVAL_SIZE_NOTE)


def read_eval_file(path: str | Path) -> EvalImport:
    return parse_eval(read_eval_bytes(path), str(path))


def parse_eval(data: bytes, file: str = "<eval>") -> EvalImport:
    """Detect the format of an eval file's bytes and count passes per option. Raises `InputError`, located."""
    if len(data) > MAX_EVAL_BYTES:
        raise InputError([too_big(file, len(data), MAX_EVAL_BYTES, EVAL_SIZE_NOTE)])
    if data[:4] == b"PK\x03\x04":
        raise _fail(
            file,
            "a zip archive (Inspect AI's binary .eval log?): convert it with "
            "`inspect log convert --to json` and import the JSON log",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _fail(file, f"not UTF-8 text (byte {e.start}): export the results as JSON or CSV") from None
    stripped = text.lstrip()
    if not stripped:
        raise _fail(file, "the file is empty")
    if stripped.startswith("{"):
        first = stripped.splitlines()[0]
        if _is_openai_spec(first):
            return EvalImport(file, "openai_evals", _openai_evals(text, file))
        doc = _json(text, file)
        fmt, counts = _json_format(doc, file)
        return EvalImport(file, fmt, counts)
    return EvalImport(file, "csv", _csv(text, file))


def _is_openai_spec(line: str) -> bool:
    try:
        head = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(head, dict) and set(head) == {"spec"}


def _json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise _fail(file, f"not valid JSON: {e.msg}", e.lineno, e.colno) from None
    except RecursionError:
        raise _fail(file, _TOO_DEEP) from None


def _json_format(doc: Any, file: str) -> tuple[str, dict[str, tuple[int, int]]]:
    if isinstance(doc, dict):
        inner = doc.get("results")
        if isinstance(inner, dict) and "results" in inner:
            return "promptfoo", _promptfoo(inner, file)
        if "eval" in doc and ("samples" in doc or "results" in doc):
            return "inspect", _inspect(doc, file)
        if "testCases" in doc or "conversationalTestCases" in doc:
            return "deepeval", _deepeval(doc, file)
    raise _fail(
        file,
        "not a known eval result: expected promptfoo's JSON output (results.results), an Inspect AI JSON log "
        "(eval, samples), a DeepEval test run (testCases), an OpenAI evals record (JSON lines) or the generic CSV",
    )


def _add(counts: dict[str, list[int]], option: str, passed: bool) -> None:
    c = counts.setdefault(option, [0, 0])
    c[0] += int(passed)
    c[1] += 1


def _done(counts: dict[str, list[int]], file: str, what: str) -> dict[str, tuple[int, int]]:
    if not counts:
        raise _fail(file, f"no cases found ({what})")
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _list(doc: dict, key: str, file: str, path: str) -> list:
    v = doc.get(key)
    if not isinstance(v, list):
        raise _fail(file, f"`{path}` must be a list of results", path=path)
    return v


def _promptfoo(results: dict, file: str) -> dict[str, tuple[int, int]]:
    rows = _list(results, "results", file, "results.results")
    prompts = {r.get("promptIdx") for r in rows if isinstance(r, dict)}
    counts: dict[str, list[int]] = {}
    for n, r in enumerate(rows):
        at = f"results.results[{n}]"
        if not isinstance(r, dict) or not isinstance(r.get("success"), bool):
            raise _fail(file, "each result needs `success`: true or false", path=f"{at}.success")
        p = r.get("provider")
        name = (p.get("label") or p.get("id")) if isinstance(p, dict) else p
        if not isinstance(name, str) or not name.strip():
            raise _fail(file, "each result needs its `provider` (an id or a label)", path=f"{at}.provider")
        if len(prompts) > 1:
            prompt: dict = r["prompt"] if isinstance(r.get("prompt"), dict) else {}
            name = f"{name} · {prompt.get('label') or 'prompt ' + str(r.get('promptIdx'))}"
        _add(counts, name, r["success"])
    return _done(counts, file, "results.results is empty")


_INSPECT_PASS = {"C": True, "I": False, "P": False, "N": False}


def _inspect_value(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        return _INSPECT_PASS.get(v.upper())
    if isinstance(v, (int, float)):
        return v >= 1
    return None


def _inspect(doc: dict, file: str) -> dict[str, tuple[int, int]]:
    model = (doc.get("eval") or {}).get("model") if isinstance(doc.get("eval"), dict) else None
    if not isinstance(model, str) or not model:
        raise _fail(file, "an Inspect log names its model in `eval.model`", path="eval.model")
    if doc.get("samples") is None:
        raise _fail(
            file, "the log has no samples (written with --no-log-samples?): rerun with samples logged", path="samples"
        )
    samples = _list(doc, "samples", file, "samples")
    scores = ((doc.get("results") or {}).get("scores") or []) if isinstance(doc.get("results"), dict) else []
    scorer = scores[0].get("name") if scores and isinstance(scores[0], dict) else None
    counts: dict[str, list[int]] = {}
    for n, s in enumerate(samples):
        at = f"samples[{n}].scores"
        sc = s.get("scores") if isinstance(s, dict) else None
        if not isinstance(sc, dict) or not sc:
            raise _fail(file, "each sample needs its `scores`", path=at)
        key = scorer if scorer in sc else next(iter(sc))
        score = sc[key]
        ok = _inspect_value(score.get("value") if isinstance(score, dict) else None)
        if ok is None:
            raise _fail(
                file, 'a score value must be "C", "I", "P", "N", true/false or a number', path=f"{at}.{key}.value"
            )
        _add(counts, model, ok)
    return _done(counts, file, "samples is empty")


def _openai_evals(text: str, file: str) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    option = "openai-evals"
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise _fail(file, f"not valid JSON on this line: {e.msg}", line_no, e.colno) from None
        except RecursionError:
            raise _fail(file, _TOO_DEEP, line_no) from None
        if not isinstance(rec, dict):
            raise _fail(file, "each line must be a JSON object", line_no)
        if "spec" in rec:
            fns = (rec["spec"] or {}).get("completion_fns") if isinstance(rec["spec"], dict) else None
            if isinstance(fns, list) and fns and all(isinstance(f, str) for f in fns):
                option = ",".join(fns)
            continue
        if rec.get("type") != "match":
            continue
        correct = (rec.get("data") or {}).get("correct") if isinstance(rec.get("data"), dict) else None
        if not isinstance(correct, bool):
            raise _fail(file, "a match event needs `data.correct`: true or false", line_no, 1, "data.correct")
        _add(counts, option, correct)
    return _done(counts, file, 'no "match" events')


def _deepeval(doc: dict, file: str) -> dict[str, tuple[int, int]]:
    hyper: dict = doc["hyperparameters"] if isinstance(doc.get("hyperparameters"), dict) else {}
    model = hyper.get("model")
    option: str = model if isinstance(model, str) and model else "deepeval"
    counts: dict[str, list[int]] = {}
    for key in ("testCases", "conversationalTestCases"):
        if doc.get(key) is None:
            continue
        for n, case in enumerate(_list(doc, key, file, key)):
            ok = case.get("success") if isinstance(case, dict) else None
            if not isinstance(ok, bool):
                raise _fail(
                    file,
                    "each test case needs `success`: true or false (was it evaluated?)",
                    path=f"{key}[{n}].success",
                )
            _add(counts, option, ok)
    return _done(counts, file, "testCases is empty")


_TRUE = {"true", "1", "yes", "pass", "passed"}
_FALSE = {"false", "0", "no", "fail", "failed"}


def _csv(text: str, file: str) -> dict[str, tuple[int, int]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(file, "the file is empty") from None
    except csv.Error as e:
        raise _fail(file, f"not readable as CSV: {e}") from None
    cols = {h.strip().lower(): i for i, h in enumerate(header)}
    missing = [c for c in ("option", "case_id", "passed") if c not in cols]
    if missing:
        raise _fail(
            file,
            f"not a known eval format; as the generic CSV its header lacks {', '.join(missing)} "
            "(the header must name option, case_id and passed)",
        )
    counts: dict[str, list[int]] = {}
    seen: set[tuple[str, str]] = set()
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise _fail(file, f"{len(row)} fields where the header has {len(header)}", line)
            option, case, passed = (row[cols[c]].strip() for c in ("option", "case_id", "passed"))
            for name, value in (("option", option), ("case_id", case)):
                if not value:
                    raise _fail(file, f"`{name}` is empty", line, cols[name] + 1, name)
            word = passed.lower()
            if word not in _TRUE | _FALSE:
                raise _fail(
                    file,
                    f"`passed` is `{passed}`: write true or false (or 1/0, yes/no, pass/fail)",
                    line,
                    cols["passed"] + 1,
                    "passed",
                )
            if (option, case) in seen:
                raise _fail(
                    file,
                    f"case `{case}` of `{option}` is listed twice: each case once",
                    line,
                    cols["case_id"] + 1,
                    "case_id",
                )
            seen.add((option, case))
            _add(counts, option, word in _TRUE)
    except csv.Error as e:
        raise _fail(file, f"not readable as CSV: {e}", reader.line_num) from None
    return _done(counts, file, "no rows under the header")


def architecture_of(option: str) -> str | None:
    """The architecture an option's name spells (`RAG`, `prompt-only`, `Fine-tuned`...), or None."""
    return _ARCH_NAMES.get(re.sub(r"[^a-z]", "", option.lower()))


def measured_rates(
    imports: list[EvalImport], mapping: dict[str, str] | None = None, option: str | None = None
) -> dict[str, tuple[int, int]]:
    """(passed, cases) per architecture from the files: each option goes to the architecture `mapping` gives
    it, else the one its name spells; `option` puts every option of a one-option file under that architecture.
    Several files or options for one architecture add up. Raises `InputError` naming what is not mapped."""
    mapping = dict(mapping or {})
    out: dict[str, list[int]] = {}
    problems = []
    for imp in imports:
        for name, (passed, total) in imp.counts.items():
            arch = mapping.get(name) or (option if option and len(imp.counts) == 1 else None) or architecture_of(name)
            if arch is None:
                known = ", ".join(sorted(imp.counts))
                problems.append(
                    Problem(
                        imp.file,
                        1,
                        1,
                        "",
                        f"option `{name}` is not an architecture: map it with "
                        f"--map '{name}=rag' (or prompt_only, long_context, fine_tuned, hybrid); "
                        f"options in the file: {known}",
                    )
                )
                continue
            c = out.setdefault(arch, [0, 0])
            c[0] += passed
            c[1] += total
    if problems:
        raise InputError(problems)
    return {k: (v[0], v[1]) for k, v in out.items()}


def with_measured(scenario, rates: dict[str, tuple[int, int]]):
    """A copy of `scenario` (a `planner.model.scenario.Scenario`) whose `quality:` section holds the measured pass
    rates and sample sizes (other architectures' measurements and the rest of the section kept), validated as
    a whole: the scenario is replaced only when every value is valid."""
    data = scenario.model_dump(mode="json")
    q = dict(data.get("quality") or {})
    rate, size = dict(q.get("pass_rate") or {}), dict(q.get("sample_size") or {})
    for arch, (passed, total) in rates.items():
        rate[arch], size[arch] = passed / total, total
    q["pass_rate"], q["sample_size"] = rate, size
    data["quality"] = q
    return type(scenario).model_validate(data)
