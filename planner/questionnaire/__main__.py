"""`python -m planner.questionnaire --markdown`: the generated part of docs/decision-rules.md."""

from planner.questionnaire.render import main

raise SystemExit(main())
