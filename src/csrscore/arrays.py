"""The array types every stage passes along, on the ground floor so that any stage may
name them without importing the engine package (compile and rank come before it)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
LevelArray = NDArray[np.signedinteger[Any]]  # level numbers: int8, or int16 for long ladders
