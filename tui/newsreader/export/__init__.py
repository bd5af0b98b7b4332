"""Exports of articles, entities, the timeline and the co-occurrence network to files other tools read.

Below the UI: no Textual here, so `newsreader export` and the reader's export command share it.
"""
