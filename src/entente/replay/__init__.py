"""Replay: the record folded into the state of the union at a date."""
