"""Bigan (笔杆): a drafting assistant for Chinese government speechwriters."""

__version__ = "0.1.0"
