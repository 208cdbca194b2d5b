"""Describing: title, genre, date, place and speaker of a cleaned document."""
