"""Test support: databases, a controllable clock, and a chat driver for scripted conversations."""
