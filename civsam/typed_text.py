"""Text a person typed or a file carried, made safe for where it goes next.

Control characters (ESC, NUL, BEL …) have no place in a name or a comment: Excel writes them as `_x001B_` and
reads them back as the raw character, a spreadsheet file or a slide cannot hold them (openpyxl and lxml refuse
the whole file), and on a terminal ESC starts a sequence that recolours or rewrites the screen. The import takes
them out of every cell once (civsam.workbook), migration 0007 out of what was stored before, and every writer
takes them out again, so a file is written whatever the store holds. Tab, line feed and carriage return stay:
a comment may have lines.
"""

import re

# C0 controls but tab, line feed and carriage return; DEL; the C1 controls (0x9B is CSI on some terminals)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# what a terminal must not be handed raw: every control character but the line feed ending a printed line
UNPRINTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def without_control_characters(text: str) -> str:
    """`text` with every control character but tab, line feed and carriage return taken out."""
    return CONTROL_CHARACTERS.sub("", text)


def cleaned(value):
    """A cell's value with its control characters taken out when it is text; any other value as it is."""
    return without_control_characters(value) if isinstance(value, str) else value


def for_terminal(text: str) -> str:
    """`text` to print: each control character but the line feed shown as its escape (ESC as \\u001b), which is
    also how JSON writes it, so printed JSON stays JSON."""
    return UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
