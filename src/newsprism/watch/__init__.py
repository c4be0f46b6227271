"""`newsprism watch`: collect articles from outlets' feeds and sites, politely, keeping every response."""

from newsprism.watch.rounds import Round, RoundReport, watch_sources
from newsprism.watch.sources import Source, SourcesError, WatchConfig, load_sources, parse_sources

__all__ = ["Round", "RoundReport", "Source", "SourcesError", "WatchConfig", "load_sources", "parse_sources",
           "watch_sources"]
