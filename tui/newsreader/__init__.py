"""newsreader: a terminal reader for Russian news archives."""

__version__ = "0.1.0"
