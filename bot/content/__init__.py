"""Loading, validating and versioning flows and their translations."""
