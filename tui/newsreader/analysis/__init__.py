"""An archive analysed ahead of reading (`newsreader analyse`): on this machine's cores or on a dask cluster."""
