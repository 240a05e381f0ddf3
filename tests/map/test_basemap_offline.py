"""The downloaded basemap is what the map draws with no network at all (``unshare -n``)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tile_server import COLOURS, TileServer

from desktop.map.basemap import make_source
from desktop.map.download import area_from_outlines, download, outlines_from_database

SCRIPT = Path(__file__).with_name("render_offline.py")


@pytest.mark.engines("sqlite")  # a server database is out of reach in a namespace without network
def test_downloaded_tiles_render_inside_unshare_n(sample_db, tmp_path):
    server = TileServer()
    try:
        out = tmp_path / "offline.mbtiles"
        area = area_from_outlines(outlines_from_database(sample_db))
        result = download(make_source("xyz", server.xyz), area, 7, 12, out, rate=0, workers=4)
        assert result.fetched > 20
        isolate = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
        done = subprocess.run([*isolate, sys.executable, str(SCRIPT), sample_db.url, str(out),
                               str(server.port)], capture_output=True, text=True, timeout=180)
    finally:
        server.close()
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["network"] is False  # the tile server really was out of reach
    assert report["blocked"] == []
    assert len(report["tiles"]) >= 4
    for src, width, rgb in report["tiles"]:
        z = int(re.search(r"tiles/(\d+)/\d+/\d+", src).group(1))
        assert src.startswith("razem://app/tiles/") and width == 256
        assert tuple(rgb) == COLOURS[z]  # the server's picture, from the file
