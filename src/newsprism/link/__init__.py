"""Linking: articles into events, events into storylines, and which articles copy which."""

from newsprism.link.events import EventLinker, LinkParams, link_batch
from newsprism.link.storylines import Linked, StorylineLinker, StorylineParams, link_articles

__all__ = ["EventLinker", "LinkParams", "Linked", "StorylineLinker", "StorylineParams", "link_articles",
           "link_batch"]
