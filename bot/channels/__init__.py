"""Channel adapters: the only place where Telegram and Twilio SDKs are imported."""
