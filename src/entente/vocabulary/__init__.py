"""The vocabulary: event kinds, dates (EDTF and Latvian phrases), union, record and treaty files."""
