"""What the knowledge models require of their values, written beside their fields as `Annotated`
markers, and enforced by pydantic only when the YAML is validated (`knowledge/validate.py`).

The models themselves are plain frozen dataclasses: a process that reads the compiled knowledge
(`knowledge/compiled.py`) never imports pydantic. Each marker below knows how to turn itself into
pydantic's own check when pydantic asks (`__get_pydantic_core_schema__`), so the messages an
author reads are pydantic's, as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Literal, TypeVar

T = TypeVar("T")

CONFIG = {"extra": "forbid", "str_strip_whitespace": True}
"""pydantic's configuration of every knowledge model: unknown keys are errors, text is trimmed."""


def frozen(cls: type[T]) -> type[T]:
    """A knowledge model: a frozen, slotted, keyword-only dataclass that pydantic validates."""
    cls.__pydantic_config__ = CONFIG  # type: ignore[attr-defined]
    return dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(cls)


@dataclasses.dataclass(frozen=True)
class Check:
    """A function run on the value (after pydantic's own checks, or before them): it returns the
    value, or raises ValueError with the message the author reads."""

    test: Callable[[Any], Any]
    mode: Literal["before", "after"] = "after"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        """pydantic's schema for the annotated type, with the test around it."""
        from pydantic_core import core_schema

        if self.mode == "before":
            return core_schema.no_info_before_validator_function(self.test, handler(source))
        return core_schema.no_info_after_validator_function(self.test, handler(source))


@dataclasses.dataclass(frozen=True)
class Length:
    """Bounds on the length of a text, a list or a mapping (as `min_length`, `max_length`)."""

    min: int | None = None
    max: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        """pydantic's schema for the annotated type, with its length bounded."""
        from typing import Annotated

        from pydantic import Field

        return handler(Annotated[source, Field(min_length=self.min, max_length=self.max)])


@dataclasses.dataclass(frozen=True)
class WebAddress:
    """A web address checked as pydantic's `HttpUrl` is (http or https, at most 2083 characters)
    and kept as its normalised text."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        """pydantic's URL schema, its result turned back into text."""
        from pydantic_core import core_schema

        address = core_schema.url_schema(max_length=2083, allowed_schemes=["http", "https"])
        return core_schema.no_info_after_validator_function(str, address)
