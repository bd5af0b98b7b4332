"""`newsreader serve [PATH...]`: the same reader in a web browser, through textual-serve.

Every browser tab that connects starts its own reader, a process on this machine with this user's
rights, files and read marks. So it listens on 127.0.0.1 (this machine only) unless `--host` says
otherwise, and then it says what that opens up.
"""

import ipaddress
import shlex
import sys

from newsreader.cli.main import EXIT_USAGE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def run_serve(reader_arguments: list[str], host: str, port: int) -> int:
    """Serve until Ctrl+C; `reader_arguments` are what `newsreader` itself is given (paths and options)."""
    try:
        from textual_serve.server import Server
    except ImportError:
        print("newsreader serve: textual-serve is not installed: pip install 'newsreader[serve]'", file=sys.stderr)
        return EXIT_USAGE
    if not _loopback(host):
        print(
            f"newsreader serve: listening on {host}: anyone who can reach this port can read the archive and"
            " your notes, with your rights on this machine; there is no password",
            file=sys.stderr,
        )
    command = shlex.join([sys.executable, "-m", "newsreader", *reader_arguments])  # textual-serve runs a shell
    try:
        Server(command, host=host, port=port, title="newsreader").serve()
    except OSError as error:  # the port is taken, or the address is not this machine's
        print(f"newsreader serve: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any address
        return False
