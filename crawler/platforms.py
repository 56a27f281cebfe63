"""The registry of Atexo / Local Trust MPE platforms (crawler/platforms.toml): add a platform without code."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

REGISTRY = Path(__file__).with_name("platforms.toml")

# The 18 French regions as the official list writes them; "" for a national platform.
REGIONS = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Guadeloupe",
    "Martinique",
    "Guyane",
    "La Réunion",
    "Mayotte",
)


@dataclass(frozen=True)
class Platform:
    """One Atexo platform: where it is, which region it serves, where its listing starts."""

    DEFAULT_SEARCH_PATH: ClassVar[str] = "/?page=Entreprise.EntrepriseAdvancedSearch&AllCons"

    key: str
    name: str
    base_url: str
    region: str
    search_path: str = DEFAULT_SEARCH_PATH
    obey_robots: bool = True
    notes: str = ""

    @property
    def search_url(self) -> str:
        return self.base_url.rstrip("/") + self.search_path


def load_platforms(path: str | Path | None = None) -> dict[str, Platform]:
    """Every platform of the registry by key; ValueError naming the platform when an entry is incomplete."""
    path = Path(path) if path else REGISTRY
    with path.open("rb") as f:
        entries = tomllib.load(f).get("platforms", {})
    return {key: _platform(key, entry, path) for key, entry in entries.items()}


def get_platform(key: str, path: str | Path | None = None) -> Platform:
    """The platform registered as `key`; KeyError listing close matches when there is none."""
    platforms = load_platforms(path)
    if key in platforms:
        return platforms[key]
    close = difflib.get_close_matches(key, platforms, n=5, cutoff=0.5)
    close += [k for k in platforms if key and key.lower() in k and k not in close][: 5 - len(close)]
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else f"; known platforms: {', '.join(sorted(platforms))}"
    )
    raise KeyError(f"unknown Atexo platform {key!r}{hint}")


def _platform(key: str, entry: dict, path: Path) -> Platform:
    """A Platform from its TOML table, checked."""
    missing = [name for name in ("name", "base_url", "region") if name not in entry]
    if missing:
        raise ValueError(f"{path}: platform {key!r} lacks {', '.join(missing)}")
    unknown = set(entry) - {"name", "base_url", "region", "search_path", "obey_robots", "notes"}
    if unknown:
        raise ValueError(f"{path}: platform {key!r} has unknown fields {', '.join(sorted(unknown))}")
    if entry["region"] and entry["region"] not in REGIONS:
        raise ValueError(
            f"{path}: platform {key!r} has region {entry['region']!r}, not one of the 18 regions"
        )
    if not str(entry["base_url"]).startswith(("http://", "https://")):
        raise ValueError(f"{path}: platform {key!r} base_url {entry['base_url']!r} is not an http(s) URL")
    return Platform(
        key=key,
        name=entry["name"],
        base_url=str(entry["base_url"]).rstrip("/"),
        region=entry["region"],
        search_path=entry.get("search_path") or Platform.DEFAULT_SEARCH_PATH,
        obey_robots=bool(entry.get("obey_robots", True)),
        notes=entry.get("notes", ""),
    )
