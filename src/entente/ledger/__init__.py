"""Per-viewer transparency logs of the record: Merkle trees, signed checkpoints, proofs, backups."""
