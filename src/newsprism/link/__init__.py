"""Story linking and republication tracing: which articles tell the same story, which copy which."""

from newsprism.link.stories import LinkParams, StoryLinker, link_articles, link_batch

__all__ = ["LinkParams", "StoryLinker", "link_articles", "link_batch"]
