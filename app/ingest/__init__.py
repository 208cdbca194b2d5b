"""Ingestion: read files of any supported format and encoding, clean the noise, find metadata."""
