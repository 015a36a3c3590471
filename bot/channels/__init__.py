"""Channel adapters, translators behind one small port (port.py): the only place where the
Telegram and Twilio SDKs are imported, and never a reader or writer of storage."""
