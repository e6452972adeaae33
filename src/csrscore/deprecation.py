"""Modules that could once be called as functions, for one release after the rename.

`csrscore.sensitivity` and `csrscore.compare` used to be both a module and a function,
depending on how they were reached. Each now means the module; its function is
`csrscore.sensitivity_analysis` / `csrscore.compare_years`. Calling the module still works,
with a DeprecationWarning, so that code written for the old name keeps running meanwhile.
"""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Callable
from typing import Any


def make_module_callable(module_name: str, function: Callable[..., Any], new_name: str) -> None:
    """Let `module_name(...)` call `function`, with a warning naming `new_name`."""

    class CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            warnings.warn(
                f"calling {module_name}(...) is deprecated and will be removed in the next "
                f"release; call {new_name}(...) instead",
                DeprecationWarning,
                stacklevel=2,
            )
            return function(*args, **kwargs)

    sys.modules[module_name].__class__ = CallableModule
