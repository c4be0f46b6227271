"""Render a story's comparison (and outlet profiles) as json, markdown or one self-contained html file."""

from newsprism.report.render import FORMATS, profiles_report, render, story_report

__all__ = ["FORMATS", "profiles_report", "render", "story_report"]
