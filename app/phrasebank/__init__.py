"""The phrase bank in the database: rebuild from mined entries, query, export snapshots."""
