"""Text from reports made safe for a terminal: control characters are shown, never obeyed.

A report's words come from anyone. Written to a terminal as they are, an escape sequence in an
actor's name would restyle the output, move the cursor or retitle the window. `printable`
shows each C0 control character (except tab and newline) as its Unicode control picture
("␛" for ESC), DEL as "␡", and each C1 control character as "�".
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["printable", "unsafe"]

_PICTURES: Final = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **dict.fromkeys(range(0x80, 0xA0), "\ufffd"),
}
_UNSAFE: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def unsafe(text: str) -> bool:
    """Whether `text` holds a control character a terminal would obey."""
    return _UNSAFE.search(text) is not None


def printable(text: str) -> str:
    """Return `text` with every control character but tab and newline shown, not obeyed."""
    return text.translate(_PICTURES) if unsafe(text) else text
