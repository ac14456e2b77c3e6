"""Stories and text reuse: online story clustering, reuse alignment, near-duplicates, originality."""

from storylens.stories.align import AlignParams, align
from storylens.stories.cluster import ClusterParams, StoryIndex
from storylens.stories.originality import originality, story_originality
from storylens.stories.reuse import ReuseIndex, ReuseParams
from storylens.stories.tracker import Placed, Tracker

__all__ = [
    "AlignParams",
    "ClusterParams",
    "Placed",
    "ReuseIndex",
    "ReuseParams",
    "StoryIndex",
    "Tracker",
    "align",
    "originality",
    "story_originality",
]
