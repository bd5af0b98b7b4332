"""Where newsreader keeps what it can rebuild (analysis, search index, snapshots): one place, so all agree."""

from pathlib import Path

import platformdirs


def cache_folder() -> Path:
    """The user cache folder (XDG_CACHE_HOME/newsreader on Linux); it may not exist yet."""
    return Path(platformdirs.user_cache_dir("newsreader"))
