"""The JSON Schema of the document JSON, generated from ``model.Document``.

The committed copy (document.schema.json, shipped in the package) is what
users validate against; ``python -m zhenggai.output.schema`` regenerates it
and a test fails when the model and the committed copy drift apart.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..model import Document

SCHEMA_FILE = "document.schema.json"


def generate() -> dict:
    schema = Document.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://zhenggai.invalid/schema/document.schema.json"
    return schema


def render() -> str:
    return json.dumps(generate(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@lru_cache(maxsize=1)
def packaged() -> dict:
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def main() -> int:
    target = Path(__file__).with_name(SCHEMA_FILE)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
