"""The secretariat: clearance (the one visibility filter), admission of new entries, tokens, the service."""
