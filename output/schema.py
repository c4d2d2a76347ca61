"""The JSON Schemas of the document JSON (``model.Document``) and of the
audit JSON (``model.Audit``), generated from the model.

The committed copies (shipped in the package) are what users validate
against; ``python -m zhenggai.output.schema`` regenerates them and a test
fails when the model and a committed copy drift apart.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from ..model import Audit, Document

SCHEMA_FILE = "document.schema.json"
AUDIT_SCHEMA_FILE = "audit.schema.json"
MODELS: dict[str, type[BaseModel]] = {SCHEMA_FILE: Document, AUDIT_SCHEMA_FILE: Audit}


def generate(name: str = SCHEMA_FILE) -> dict:
    schema = MODELS[name].model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://zhenggai.invalid/schema/{name}"
    return schema


def render(name: str = SCHEMA_FILE) -> str:
    return json.dumps(generate(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@lru_cache(maxsize=None)
def packaged(name: str = SCHEMA_FILE) -> dict:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def main() -> int:
    for name in MODELS:
        target = Path(__file__).with_name(name)
        target.write_text(render(name), encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
