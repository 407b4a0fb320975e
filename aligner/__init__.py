"""aligner: align a province's implementation plan with the national plan it implements.

    from aligner import align
    result = align("plans/national.txt", "plans/qinghai.txt")
    print(result.to_dict()["provinces"][0]["summary"])

The public surface is what `__all__` lists; it is imported on first use, so importing one
submodule (or running `align --format json`) does not load what it does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "align": "aligner.api",
    "read_text": "aligner.api",  # not `read`/`parse`: those names are the stages' modules
    "parse_plan": "aligner.api",
    "Result": "aligner.api",
    "ProvinceError": "aligner.api",
    "Source": "aligner.api",
    "InputError": "aligner.errors",
    "Alignment": "aligner.model",
    "Clause": "aligner.model",
    "Coverage": "aligner.model",
    "Kind": "aligner.model",
    "Link": "aligner.model",
    "Plan": "aligner.model",
    "Relation": "aligner.model",
    "SourceText": "aligner.model",
    "Status": "aligner.model",
    "Thresholds": "aligner.match",
    "Thesaurus": "aligner.thesaurus",
}
__all__ = [  # noqa: RUF022 - grouped as _API lists them
    "__version__", "align", "read_text", "parse_plan", "Result", "ProvinceError", "Source", "InputError", "Alignment",
    "Clause", "Coverage", "Kind", "Link", "Plan", "Relation", "SourceText", "Status", "Thresholds", "Thesaurus",
]

if TYPE_CHECKING:
    from aligner.api import ProvinceError, Result, Source, align, parse_plan, read_text
    from aligner.errors import InputError
    from aligner.match import Thresholds
    from aligner.model import Alignment, Clause, Coverage, Kind, Link, Plan, Relation, SourceText, Status
    from aligner.thesaurus import Thesaurus


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'aligner' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
