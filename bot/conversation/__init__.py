"""One person's conversation, and the only writer of a person's rows.

service.py (a turn end to end), drive.py (the engine <-> actions loop), ordering.py (one
person's turns one after another), claims.py (a message id handled once), inbox.py (what a
channel received), optouts.py (STOP, a blocked bot), reports.py (delivery status reports),
notify.py (the Notifier port) and notifier.py (messages the bot sends first),
whatsapp_window.py (WhatsApp's 24-hour rule)."""
