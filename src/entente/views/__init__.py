"""Views of the record shared by every interface: reports, the schedule."""
