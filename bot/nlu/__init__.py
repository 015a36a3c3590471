"""Matching what users type to choices, commands, topics, places and trades."""
