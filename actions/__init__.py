"""rasa-sdk custom actions. `python -m rasa_sdk --actions actions` serves them to Rasa.

Each module holds the actions of one concept. An action that needs the database or other
services takes `services` in its constructor: Puente injects them in process; under the
rasa-sdk server they are built from the environment (see actions/services.py).
"""
