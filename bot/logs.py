"""Logging that cannot leak: the libraries' chatty loggers are quieted and their values masked.

python-telegram-bot logs whole updates and API parameters at DEBUG (names, ids, message text)
and its Bot logs its base URL, which contains the token; httpx logs every request URL (with the
token) at INFO. None of that may reach a log.
"""

from __future__ import annotations

import logging
import re

QUIET = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    "tornado.access": logging.WARNING,
    "telegram": logging.INFO,
    "apscheduler": logging.WARNING,
    "transitions": logging.WARNING,  # logs every state change of every consultation at INFO
    "nio": logging.WARNING,  # logs room, user and device ids in its own words (f-strings)
    "nio.crypto": logging.ERROR,  # warns "Missing session for device <id>" before claiming keys
    "aiohttp": logging.WARNING,
    "peewee": logging.WARNING,  # logs every SQL statement of nio's crypto store at DEBUG
}
"""Library loggers and the lowest level they may emit."""
LIBRARIES = (
    "httpx",
    "httpcore",
    "hpack",
    "tornado",
    "telegram",
    "apscheduler",
    "aiolimiter",
    "transitions",
    "nio",
    "aiohttp",
    "peewee",
)
"""Loggers whose records lose their values (the fixed message stays)."""
NUMBERS_SHOWN = frozenset(
    {
        "Rate limit hit. Retrying after %f seconds",
        "Rate limit hit after maximum of %d retries",
    }
)
"""Library messages whose values are no secret when they are plain numbers (a delay, a count):
those stay readable; given anything else, they are masked like the rest."""
MASK = "[masqué]"
MATRIX_IDS = re.compile(r"[@!$#+][A-Za-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(?::[0-9]{1,5})?")
"""Matrix user, room, event and alias ids: masked in whatever a library writes, f-strings too."""
SPECIFIER = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")


def plain_numbers(args: object) -> bool:
    """True when a record's values are all plain numbers (a delay, a count)."""
    return isinstance(args, tuple) and all(
        isinstance(value, int | float) and not isinstance(value, bool) for value in args
    )


def from_library(name: str) -> bool:
    """True for a logger of one of the libraries."""
    return name.split(".")[0] in LIBRARIES


class MaskValues(logging.Filter):
    """Drop the values a library record was formatted with, and any occurrence of a secret."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record's fixed message, replace its arguments, remove secrets everywhere."""
        if from_library(record.name) and record.args:
            message = str(record.msg)
            if message in NUMBERS_SHOWN and plain_numbers(record.args):
                return self.without_secrets(record)
            record.msg = SPECIFIER.sub(lambda m: "%" if m.group() == "%%" else MASK, message)
            record.args = None
        if from_library(record.name):
            record.msg = MATRIX_IDS.sub(MASK, str(record.msg))
        return self.without_secrets(record)

    def without_secrets(self, record: logging.LogRecord) -> bool:
        """Remove every occurrence of a secret from the record and its traceback."""
        if self.secrets:
            record.msg = self.hide(record.getMessage())
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = self.hide(logging.Formatter().formatException(record.exc_info))
        return True

    def hide(self, text: str) -> str:
        """The text with every secret replaced by the mask."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text


def quiet_libraries(secrets: tuple[str, ...] = ()) -> None:
    """Raise the chatty loggers' levels and mask values on every library logger present now."""
    mask = MaskValues(secrets)
    for name, level in QUIET.items():
        logger = logging.getLogger(name)
        if logger.level < level:  # NOTSET (0) included
            logger.setLevel(level)
    for name in list(logging.Logger.manager.loggerDict):
        if from_library(name):
            logger = logging.getLogger(name)
            if not any(isinstance(f, MaskValues) for f in logger.filters):
                logger.addFilter(mask)


class OneLineFormatter(logging.Formatter):
    """One line per event, tracebacks included, so log collectors never split an event."""

    def format(self, record: logging.LogRecord) -> str:
        """The usual line, with inner line breaks shown as ' ⏎ '."""
        return super().format(record).replace("\n", " ⏎ ")


def configure_logging(token: str) -> None:
    """Logging for `chaisevide run`: INFO to stderr, one line per event, token masked."""
    logging.basicConfig(level=logging.INFO)
    formatter = OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_libraries((token,))
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
        handler.addFilter(MaskValues((token,)))
