"""Serve the few files the pages use from the npm packages installed at setup.

No third-party file is committed: ``npm ci`` installs them from the registry into
``node_modules/`` and this finder hands exactly these files to ``collectstatic``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

# static path -> path inside node_modules
VENDOR_FILES = {
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/pico/pico.min.css": "@picocss/pico/css/pico.min.css",
    "vendor/leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "vendor/leaflet/leaflet.js.map": "leaflet/dist/leaflet.js.map",
    "vendor/leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "vendor/leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "vendor/leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "vendor/leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "vendor/topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "vendor/world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
}


class NodeModulesFinder(BaseFinder):
    """Find the listed vendor files in ``settings.NODE_MODULES``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = Path(settings.NODE_MODULES)
        self.storage = FileSystemStorage(location=str(self.root))

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        missing = [name for name in VENDOR_FILES.values() if not (self.root / name).is_file()]
        if not missing:
            return []
        return [
            Error(
                f"front-end assets missing in {self.root}: {', '.join(missing)}",
                hint="Run `npm ci` (make does it) to install them from the npm registry.",
                id="metalloop.E001",
            )
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        source = VENDOR_FILES.get(path)
        if source is None or not (self.root / source).is_file():
            return []  # what Django's own finders answer for "not here"
        found = str(self.root / source)
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Any:
        storage = _VendorStorage(self.storage)
        for static_path, source in VENDOR_FILES.items():
            if (self.root / source).is_file():
                yield static_path, storage


class _VendorStorage:
    """Open a vendor file by its static path (what collectstatic asks for)."""

    prefix = None

    def __init__(self, storage: FileSystemStorage) -> None:
        self._storage = storage

    def open(self, path: str, mode: str = "rb") -> Any:
        return self._storage.open(VENDOR_FILES[path], mode)

    def path(self, path: str) -> str:
        return self._storage.path(VENDOR_FILES[path])

    def get_modified_time(self, path: str) -> Any:
        return self._storage.get_modified_time(VENDOR_FILES[path])
