"""Watch-outs and the staged plan for the winning architecture (data, like the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from planner.model.answers import Answers
from planner.model.scenario import ARCHITECTURES
from planner.questionnaire.conditions import C, Cond
from planner.questionnaire.questions import fill
from planner.questionnaire.results import Step

P, L, R, F, H = ARCHITECTURES  # "prompt_only", "long_context", "rag", "fine_tuned", "hybrid"

# ---------------------------------------------------------------------------
# Watch-outs and the staged plan (data, like the rules)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchOut:
    architecture: str
    text: str
    condition: tuple[Cond, ...] = ()  # all must hold; empty: always


@dataclass(frozen=True)
class PlanItem:
    architecture: str
    stage: Literal["first", "next", "later"]
    text: str
    condition: tuple[Cond, ...] = ()


WATCH_OUTS: tuple[WatchOut, ...] = (
    # long context
    WatchOut(
        L,
        "Every query sends the whole knowledge base: the bill rests on the prompt cache. A cached "
        "prefix lives minutes, so at low traffic it expires between queries and each one pays full "
        "price again; check the cache hit share the estimate assumes.",
    ),
    WatchOut(
        L,
        "The knowledge base grows: once it no longer fits the context window (or crosses a "
        "long-context price tier), move to retrieval. Models also attend less well to the middle "
        "of a very long prompt; test recall on facts placed deep in it.",
    ),
    # prompt only
    WatchOut(
        P,
        "Context cost grows with volume: every query pays again for the instructions "
        "and examples in the prompt. Cache the static prefix and watch "
        "the cost per query as volume rises.",
    ),
    WatchOut(
        P,
        "At {queries_per_month} queries a month the prompt is paid {queries_per_month} "
        "times: a few hundred tokens trimmed from it is real money.",
        (C("queries_per_month", ">=", 1_000_000),),
    ),
    WatchOut(
        P,
        "Without retrieval the model answers from its training data and the prompt: "
        "facts missing from the prompt come back outdated or invented, stated with confidence.",
    ),
    WatchOut(
        P,
        "With citations required, the prompt must carry the sources with ids and the "
        "answer must quote them; check citation accuracy on the evaluation set.",
        (C("citations_required", "==", True),),
    ),
    WatchOut(
        P, "Prompts are brittle across model versions: pin the model and rerun the evaluation set before every upgrade."
    ),
    # RAG
    WatchOut(
        R,
        "RAG still hallucinates on a share of queries: retrieved context reduces "
        "invented answers but does not remove them. Measure groundedness on an evaluation set.",
    ),
    WatchOut(
        R,
        "It lives or dies by retrieval quality: chunking, embeddings and reranking decide "
        "whether the right passage reaches the model. Measure retrieval recall separately "
        "from answer quality.",
    ),
    WatchOut(R, "Retrieval adds latency (embedding, vector search, rerank) and prompt tokens to every query.", ()),
    WatchOut(
        R,
        "Knowledge changes {knowledge_change}: automate re-indexing, remove deleted "
        "documents, and monitor how stale the index is.",
        (C("knowledge_change", ">=", "weekly"),),
    ),
    WatchOut(
        R,
        "The p95 limit of {latency_p95_ms} leaves little time for retrieval: budget each "
        "stage (search, rerank, generation) and measure p95 end to end.",
        (C("latency_p95_ms", "<", 2000),),
    ),
    # fine-tuned
    WatchOut(
        F,
        "Fine-tuned knowledge goes stale: facts in weights are frozen at training time; "
        "every change needs a retraining run and a new evaluation.",
    ),
    WatchOut(
        F,
        "A tuned model can overfit a narrow training set and lose general skills: keep "
        "a held-out evaluation set and compare with the prompt baseline on every run.",
    ),
    WatchOut(F, "It cannot show sources, and it will answer confidently outside what it was trained on."),
    WatchOut(
        F,
        "You own a training pipeline: versioned datasets, retraining, regression tests. "
        "Tuned-model inference can cost more per token than the base model (a provider "
        "premium or a hosting fee).",
    ),
    WatchOut(
        F,
        "Only {labeled_examples} examples: start with a small tune, check it beats the "
        "prompt baseline, and grow the set before relying on it.",
        (C("labeled_examples", "<", 500),),
    ),
    # hybrid
    WatchOut(
        H,
        "Hybrid is the most complex to run: a retrieval stack and a training pipeline, "
        "two things to evaluate, version and keep in step.",
    ),
    WatchOut(
        H,
        "Train on examples that include retrieved context, so the tuned model learns to "
        "use what retrieval gives it, and to say so when the context does not answer.",
    ),
    WatchOut(
        H,
        "RAG's watch-outs still apply: retrieval quality caps answer quality, and it "
        "still hallucinates on a share of queries.",
    ),
    WatchOut(
        H,
        "The data must stay out of weights: tune behavior only (format, tone) on "
        "examples free of protected data; keep every fact in the retrieval index.",
        (C("data_must_stay_external", "==", True),),
    ),
)

_EVAL = (
    "Write the best prompt you can (instructions plus a few examples) and build an "
    "evaluation set of 50 to 100 real queries with expected answers; it is the baseline "
    "every later stage must beat."
)

PLAN: tuple[PlanItem, ...] = (
    # long context
    PlanItem(L, "first", _EVAL),
    PlanItem(
        L,
        "next",
        "Put the instructions and the whole knowledge base first in the prompt, unchanged between "
        "queries so the provider caches it, and the user's question last.",
    ),
    PlanItem(
        L,
        "later",
        "If the knowledge outgrows the context, or the cache rarely hits at your traffic, add "
        "retrieval (RAG) and send only the relevant part.",
    ),
    # prompt only
    PlanItem(P, "first", _EVAL),
    PlanItem(
        P,
        "next",
        "Ship the prompt; cache its static prefix (instructions, examples) and log failures by type.",
    ),
    PlanItem(
        P,
        "later",
        "If the knowledge outgrows the context or changes often, add "
        "retrieval (RAG); if format or tone fail on a measurable share of "
        "queries, fine-tune a smaller model on those failures.",
    ),
    # RAG
    PlanItem(R, "first", _EVAL),
    PlanItem(
        R,
        "next",
        "Add retrieval: chunk and embed the corpus, retrieve and rerank the "
        "top passages; measure retrieval recall and answer groundedness "
        "separately from answer quality.",
    ),
    PlanItem(
        R,
        "next",
        "Automate re-indexing {knowledge_change:every} and monitor how stale the index is.",
        (C("knowledge_change", ">=", "monthly"),),
    ),
    PlanItem(
        R,
        "later",
        "Collect the failures that remain; if they are behavior (format, "
        "tone), fine-tune a smaller model on them and keep retrieval in front "
        "(hybrid).",
    ),
    # fine-tuned
    PlanItem(F, "first", _EVAL),
    PlanItem(
        F,
        "first",
        "Grow the example set from {labeled_examples} to at least 500 good "
        "ones, drawn from the queries the prompt gets wrong.",
        (C("labeled_examples", "<", 500),),
    ),
    PlanItem(
        F,
        "next",
        "Fine-tune a smaller model on the behaviors the prompt fails "
        "(format, voice, task skill); hold back a test set and beat the "
        "prompt baseline before switching traffic.",
    ),
    PlanItem(
        F,
        "later",
        "Retrain on a schedule as queries drift; if facts start to change "
        "or citations are needed, put retrieval in front (hybrid).",
    ),
    # hybrid
    PlanItem(H, "first", _EVAL),
    PlanItem(
        H,
        "next",
        "Add retrieval for the knowledge (RAG) and measure retrieval recall "
        "and groundedness; this alone may be enough.",
    ),
    PlanItem(
        H,
        "later",
        "Fine-tune a smaller model on the behaviors that still fail (format, "
        "voice), training on examples that include retrieved context, and "
        "serve it behind the same retrieval.",
    ),
    PlanItem(
        H,
        "later",
        "Tune behavior only: keep protected data out of the training examples; facts stay in the index.",
        (C("data_must_stay_external", "==", True),),
    ),
)


def watch_outs_for(key: str, answers: Answers) -> tuple[str, ...]:
    return tuple(
        fill(w.text, answers)
        for w in WATCH_OUTS
        if w.architecture == key and all(c.holds(answers) for c in w.condition)
    )


def plan_for(key: str, answers: Answers) -> tuple[Step, ...]:
    return tuple(
        Step(stage, fill(p.text, answers))
        for stage in ("first", "next", "later")
        for p in PLAN
        if p.architecture == key and p.stage == stage and all(c.holds(answers) for c in p.condition)
    )
