"""Biopython objects as JSON: sequences as strings, records as ``{id, seq}``."""

from __future__ import annotations

from domains._protocol import Renderer


def _record(record, child):
    return {"id": child(str(record.id)), "seq": child(str(record.seq))}


def _sequence(seq, child):
    return child(str(seq))


RENDERERS = (
    Renderer("Bio.SeqRecord", "SeqRecord", _record),
    Renderer("Bio.Seq", "Seq", _sequence),
    Renderer("Bio.Seq", "MutableSeq", _sequence),
)
