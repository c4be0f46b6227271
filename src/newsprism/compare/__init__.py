"""The cross-outlet comparison of one story, and outlet profiles over many stories."""

from newsprism.compare.profiles import outlet_profiles
from newsprism.compare.result import Comparison, OutletProfile
from newsprism.compare.story import compare_story

__all__ = ["Comparison", "OutletProfile", "compare_story", "outlet_profiles"]
