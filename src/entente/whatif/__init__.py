"""What-if runs: a scenario (a file of changes to the record or the rules) replayed beside the record as it is.

``scenario`` reads and checks a scenario file; ``run`` applies one to what a viewer sees, replays the union both
ways and says what changes (pure: no store, no clock, nothing written).
"""
