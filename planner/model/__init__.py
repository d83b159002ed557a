"""The model layer: what a plan is and the words every layer shares. Depends on `pricing` only.

  scenario         the `Scenario` (pydantic): its sections, limits and answers kept in step; the architecture
                   keys and what each is made of (retrieval, the tuned model, knowledge in the prompt)
  sections         the scenario's sections: workload, fine-tuning set, stack, one-time costs, volume range
  answers          the questionnaire's answers as scenario fields
  quality          the scenario's `quality:` section (measured pass rates, sample sizes, the eval plan)
  files            scenario files and presets: read, checked, written back with defaults as comments
  spelling         "did you mean" for keys in scenario and catalog files
  latency_limits   the two latency limits and which one binds
  vocabulary       labels and colors of the architectures, components, latency parts, verdicts, stages
  format           the one money, count and duration format
  break_even_text  break-evens said as intervals

Layers, bottom to top (each imports only from those below it; tests/test_layers.py holds the line):
pricing → planner.model → planner.quality → planner.engine → planner.traffic, planner.questionnaire →
planner.presentation → planner.figures → planner.report → planner.ui → planner (the API and the CLI).
"""
