"""Generate `pricing/catalog.schema.json` from the models: `python -m pricing.schema`.

The YAML points at it with `# yaml-language-server: $schema=./catalog.schema.json`
so editors autocomplete and validate it. A test keeps the committed file in step.
"""

from __future__ import annotations

import json
from pathlib import Path

from pricing.models import Catalog

SCHEMA_PATH = Path(__file__).with_name("catalog.schema.json")


def schema_text() -> str:
    schema = Catalog.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "LLM architecture planner pricing catalog"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()
