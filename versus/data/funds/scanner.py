"""Where keys are in ``funds.toml``: the line of every key path, for error messages (tomllib gives none)."""
from __future__ import annotations

import re
import tomllib

from ...errors import ConfigError


class _Scanner:
    """Maps each key path of a (valid) TOML text to the line it starts on.

    tomllib gives no positions, so this walks the text once: table headers, ``[[arrays]]`` (indexed
    in order), dotted and quoted keys, inline tables and arrays (each element indexed), strings of
    every kind and comments.  Only called on text tomllib has already accepted."""

    def __init__(self, text: str):
        self.s, self.i, self.line = text, 0, 1
        self.pos: dict[tuple, int] = {}
        self.aot: dict[tuple, int] = {}

    def peek(self, k: int = 1) -> str:
        return self.s[self.i:self.i + k]

    def advance(self, k: int = 1) -> None:
        self.line += self.s.count("\n", self.i, self.i + k)
        self.i += k

    def skip(self, newlines: bool) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                end = self.s.find("\n", self.i)
                self.advance((len(self.s) if end < 0 else end) - self.i)
            else:
                return

    def string(self) -> str:
        s = self.s
        for q in ('"""', "'''"):
            if s.startswith(q, self.i):
                end = self.i + 3
                while True:
                    end = s.index(q, end)
                    if q == '"""' and _escaped(s, end):
                        end += 1
                        continue
                    while s.startswith(q[0], end + 3):  # up to two quotes may end the content
                        end += 1
                    break
                out = s[self.i + 3:end]
                self.advance(end + 3 - self.i)
                return out
        q = s[self.i]
        end = self.i + 1
        while s[end] != q or (q == '"' and _escaped(s, end)):
            end += 1
        raw = s[self.i + 1:end]
        self.advance(end + 1 - self.i)
        if q == '"':
            try:
                return tomllib.loads(f'k = "{raw}"')["k"]
            except tomllib.TOMLDecodeError:
                return raw
        return raw

    def key(self) -> tuple:
        parts = []
        while True:
            self.skip(False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                m = re.compile(r"[A-Za-z0-9_\-]+").match(self.s, self.i)
                parts.append(m.group(0))
                self.advance(m.end() - self.i)
            self.skip(False)
            if self.peek() == ".":
                self.advance()
                continue
            return tuple(parts)

    def value(self, path: tuple) -> None:
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.advance()
            n = 0
            while True:
                self.skip(True)
                if self.peek() == "]":
                    self.advance()
                    return
                self.pos.setdefault(path + (n,), self.line)
                self.value(path + (n,))
                n += 1
                self.skip(True)
                if self.peek() == ",":
                    self.advance()
        elif c == "{":
            self.advance()
            while True:
                self.skip(False)
                if self.peek() == "}":
                    self.advance()
                    return
                line = self.line
                k = path + self.key()
                self.pos.setdefault(k, line)
                self.advance()  # '='
                self.skip(False)
                self.value(k)
                self.skip(False)
                if self.peek() == ",":
                    self.advance()
        else:
            m = re.compile(r"[^,\]\}\s#]+").match(self.s, self.i)
            self.advance(m.end() - self.i)

    def run(self) -> dict[tuple, int]:
        table: tuple = ()
        while True:
            self.skip(True)
            if self.i >= len(self.s):
                return self.pos
            if self.peek(2) == "[[":
                line = self.line
                self.advance(2)
                p = self.key()
                self.advance(2)
                n = self.aot.get(p, 0)
                self.aot[p] = n + 1
                table = p + (n,)
                for k in range(1, len(p) + 1):
                    self.pos.setdefault(p[:k], line)
                self.pos.setdefault(table, line)
            elif self.peek() == "[":
                line = self.line
                self.advance()
                table = self.key()
                self.advance()
                for k in range(1, len(table) + 1):  # [a.b] also defines a
                    self.pos.setdefault(table[:k], line)
            else:
                line = self.line
                k = table + self.key()
                self.pos.setdefault(k, line)
                self.advance()  # '='
                self.skip(False)
                self.value(k)


def _escaped(s: str, i: int) -> bool:
    n = 0
    while i - 1 - n >= 0 and s[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def key_lines(text: str) -> dict[tuple, int]:
    """``{key path: line}`` for a TOML text tomllib accepts (array elements are indexed)."""
    try:
        return _Scanner(text).run()
    except (ValueError, IndexError, AttributeError):  # never let the locator hide the real error
        return {}


def _dotted(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + (p if re.fullmatch(r"[A-Za-z0-9_\-]+", p) else _quoted(p))
    return out


def _quoted(key: str) -> str:
    """A quoted key as TOML writes it, with control and bidirectional characters escaped (``"Finan\\u0008cials"``):
    an error message never carries them to the terminal."""
    return '"' + "".join(f"\\{ch}" if ch in '"\\' else ch if ch.isprintable() else f"\\u{ord(ch):04X}"
                         for ch in key) + '"'


def locate(lines: dict[tuple, int], where: tuple) -> int | None:
    """The line of key path ``where`` (:func:`key_lines`), else of its nearest parent, else None."""
    for n in range(len(where), -1, -1):
        line = lines.get(where[:n])
        if line is not None:
            return line
    return None


def fail_at(path, line: int | None, where: tuple, message: str):
    """Raise ``ConfigError`` ``path:LINE: key.path: message`` (exit 2)."""
    loc = f"{path}:{line}" if line else f"{path}"
    raise ConfigError(f"{loc}: {_dotted(where) + ': ' if where else ''}{message}")
