"""The HTTP API: the record's views and writes over JSON, for the viewer a bearer token stands for.

``entente.server`` puts these routes and the web pages into the one application ``entente serve`` runs;
the command line shares ``api.write`` without loading the web framework.
"""
