"""planner.engine.stack_fit: switching to self-hosted serving picks entries that can be self-hosted, or says which."""

from __future__ import annotations

from planner.engine import estimate, stack_fit
from planner.model.scenario import Scenario

STACK = {
    "embedding_model": "emb",
    "vector_store": "pine",
    "reranker": "rr",
    "llm": "big",
    "fine_tune": "ft-api",
    "gpu": "gpu",
}


def test_switching_to_self_hosted_picks_open_weights_entries(mini):
    # mini catalog: `big` is closed, `small` open; ft-api tunes big, ft-lora and ft-gpu tune small
    s = Scenario.model_validate({"stack": STACK})
    fit = stack_fit.fit_serving(mini, s, "self_hosted")
    assert fit.changes == {"stack.fine_tune": "ft-lora", "stack.llm": "small"}
    assert fit.notes[0].startswith("Fine-tuning offer → LoRA small (Tuned big tunes a model that is not open weights")
    assert fit.notes[1].startswith("LLM → Small open model (Big model is not open weights; the same base model")
    fixed = s.with_changes(**{"stack.serving": "self_hosted", **fit.changes})
    assert stack_fit.serving_problems(mini, fixed) == []
    estimate(mini, fixed)  # prices without an error
    # entries that already fit are kept; API serving needs no change
    keep = fixed.with_changes(**{"stack.fine_tune": "ft-gpu"})
    assert stack_fit.fit_serving(mini, keep, "self_hosted").changes == {}
    assert stack_fit.fit_serving(mini, s, "api").changes == {}


def test_a_stack_that_does_not_fit_names_each_field_and_its_choices(mini):
    s = Scenario.model_validate({"stack": {**STACK, "serving": "self_hosted"}})
    problems = stack_fit.serving_problems(mini, s)
    assert problems == [
        "stack.llm: Big model (`big`) is not open weights, so it cannot be self-hosted; "
        "choose one of Small open model (`small`).",
        "stack.fine_tune: Tuned big (`ft-api`) tunes Big model, which is not open weights, so the fine-tuned "
        "and hybrid models cannot be self-hosted; choose one of LoRA small (`ft-lora`), LoRA on own GPU (`ft-gpu`).",
    ]
    # the fine-tuning offer is named even when the LLM is already open weights (the dead end)
    only_offer = stack_fit.serving_problems(mini, s.with_changes(**{"stack.llm": "small"}))
    assert len(only_offer) == 1 and only_offer[0].startswith("stack.fine_tune: Tuned big (`ft-api`)")
