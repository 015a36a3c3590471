"""The SNE registration's room: its catalogue, the privacy notice version, the export for the
SNE and the staff's filters. The form itself is actions/registration/, the table db/registrations.py."""
