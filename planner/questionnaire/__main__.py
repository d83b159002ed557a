"""`python -m planner.questionnaire --markdown` prints the generated part of docs/decision-rules.md;
`--update-docs` rewrites it there."""

from planner.questionnaire.render import main

raise SystemExit(main())
