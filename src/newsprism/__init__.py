"""newsprism: raw news pages in, clean articles with annotations, stories and comparisons out."""

__version__ = "0.1.0"
