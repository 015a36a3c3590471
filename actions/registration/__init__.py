"""The SNE registration form's actions: start, consent, one question after another (each answer
checked by fields.py through validate_registration_form), the summary and saving the record."""
