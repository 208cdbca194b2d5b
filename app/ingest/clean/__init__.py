"""Cleaning: raw text to the body a reader means, without site chrome, layout debris or tails."""
