"""The Matrix adapter (Tchap, Element, any Synapse): the same consultation as on Telegram.

It only translates Matrix events: typed numbers, keycap reactions, `!` commands, invites. What
both messengers show (`bot/messages.py`), the consultation (`flows/`) and the retry discipline
(`bot/retrying.py`) are shared. Nothing is kept per person: a consultation's state travels in the
bot's own messages, signed, under `STATE_KEY`, encrypted with the room.
"""
