"""rasa-sdk custom actions. `python -m rasa_sdk --actions actions` serves them to Rasa.

A room per feature (registration/, vacancies/), a module per action or concept; privacy.py and
support.py stand alone. An action that needs the database or other services takes `services` in
its constructor (actions/services.py): Puente injects them in process; under the rasa-sdk server
they are built from the environment. Each action has its cases in tests/actions/<name>.yaml.
"""
