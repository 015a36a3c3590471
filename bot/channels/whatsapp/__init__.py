"""WhatsApp through Twilio: channel.py (the port), inbound.py (forms -> Inbound, keywords,
status reports), signature.py (X-Twilio-Signature), render.py (numbered lists, quick replies,
TwiML), api.py (Twilio's REST client, paced)."""
