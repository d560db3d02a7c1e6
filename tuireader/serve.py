"""``tuireader --serve``: the same reader in a web browser, for people who cannot get a terminal.

textual-serve (the optional ``web`` extra) runs one reader process per browser tab
and relays its screen over a websocket. It listens on 127.0.0.1 unless told
otherwise, because the page has no password: anyone who can reach the port reads
the thread.
"""

from __future__ import annotations

import logging
import shlex
import sys
from collections.abc import Sequence

from aiohttp import web
from textual_serve.server import Server

from tuireader.sanitize import clean_line

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ReaderServer(Server):
    """textual-serve's server, saying where it listens in one line on standard error instead of a banner."""

    def __init__(self, command: Sequence[str], *, host: str, port: int, what: str) -> None:
        # A fixed page title: textual-serve puts it in the page unescaped, and a file name is the file's to choose.
        super().__init__(shlex.join(command), host=host, port=port, title="tuireader")
        self.what = what

    def initialize_logging(self) -> None:
        """Only warnings and errors, on standard error (no access log, no banner)."""
        logging.basicConfig(level=logging.WARNING, format="tuireader: %(message)s", stream=sys.stderr)

    async def on_startup(self, app: web.Application) -> None:
        reach = (
            "only this machine can connect"
            if self.host in LOCAL_HOSTS
            else f"any machine that reaches {self.host} can connect, without a password"
        )
        print(f"tuireader: serving {self.what} at {self.public_url} ({reach}; ctrl+c stops)", file=sys.stderr)
        sys.stderr.flush()


def serve(command: Sequence[str], *, host: str, port: int, what: str) -> int:
    """Serve ``command`` (a reader's command line) to browsers at ``host``:``port`` until interrupted."""
    ReaderServer(command, host=host, port=port, what=clean_line(what)).serve()
    return 0
