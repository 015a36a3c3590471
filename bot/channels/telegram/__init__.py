"""Telegram: channel.py (the port), inbound.py (updates -> Received), render.py (inline
keyboards), api.py (the Bot API client, paced), http.py (PTB's HTTP layer on aiohttp),
updates.py (getUpdates), commands.py (the "/" command list)."""
