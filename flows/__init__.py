"""The conversation as a state machine, with no Telegram import: it returns plain values."""
