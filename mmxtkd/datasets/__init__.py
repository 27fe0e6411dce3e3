"""Data sets and transforms (depth: see the depth issue)."""
