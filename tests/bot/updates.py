"""Bot API update objects as Telegram sends them: commands, typed text, button presses, inline."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

_ids = itertools.count(1)


@dataclass(frozen=True)
class Person:
    """A Telegram user (and, for private chats, the chat with them)."""

    id: int
    first_name: str = "Camille"
    last_name: str = ""
    username: str = ""

    def json(self) -> dict[str, Any]:
        """The user object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        user["language_code"] = "fr"
        return user


def chat(chat_id: int, person: Person) -> dict[str, Any]:
    """The chat object: the private chat with the person, or a team supergroup."""
    if chat_id > 0:
        data = {"id": chat_id, "type": "private", "first_name": person.first_name}
        if person.username:
            data["username"] = person.username
        return data
    return {"id": chat_id, "type": "supergroup", "title": "Équipe"}


def text_message(person: Person, text: str, chat_id: int | None = None) -> dict[str, Any]:
    """A message update; a leading /command gets its bot_command entity."""
    chat_id = person.id if chat_id is None else chat_id
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat(chat_id, person),
        "from": person.json(),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": message}


def button_press(
    person: Person, chat_id: int, message: dict[str, Any], data: str
) -> dict[str, Any]:
    """A callback query: `person` pressed a button carrying `data` on a bot message."""
    return {
        "callback_query": {
            "id": f"cq{next(_ids)}",
            "from": person.json(),
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": {
                "message_id": message["message_id"],
                "date": int(time.time()),
                "chat": chat(chat_id, person),
                "from": {"id": 1, "is_bot": True, "first_name": "bot"},
                "text": message.get("text", ""),
            },
        }
    }


def inline_query(person: Person, query: str) -> dict[str, Any]:
    """`@bot <query>` typed in any chat."""
    return {
        "inline_query": {
            "id": f"iq{next(_ids)}",
            "from": person.json(),
            "query": query,
            "offset": "",
        }
    }


def chosen_result(person: Person, result_id: str, query: str) -> dict[str, Any]:
    """The person posted one of the inline cards."""
    return {"chosen_inline_result": {"result_id": result_id, "from": person.json(), "query": query}}
