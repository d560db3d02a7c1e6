"""Test setup: make the helpers importable and keep hypothesis quick on a 2-core machine."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

settings.register_profile("default", deadline=None, max_examples=100)
settings.load_profile("default")
