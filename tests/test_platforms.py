"""The Atexo platform registry shipped in crawler/platforms.toml."""

from __future__ import annotations

import csv
from urllib.parse import urlsplit

import pytest

from crawler.platforms import REGIONS, Platform, get_platform, load_platforms
from tests.conftest import samples_path


@pytest.fixture(scope="module")
def platforms():
    return load_platforms()


def test_registry_loads(platforms):
    assert len(platforms) > 50
    assert all(isinstance(p, Platform) and p.key == key for key, p in platforms.items())


def test_every_platform_is_complete(platforms):
    for p in platforms.values():
        assert p.name and p.base_url.startswith(("https://", "http://")) and not p.base_url.endswith("/")
        assert p.region in (*REGIONS, "")
        assert p.search_path == "/?page=Entreprise.EntrepriseAdvancedSearch&AllCons"
        assert p.obey_robots is True


def test_demat_ampa(platforms):
    ampa = platforms["demat-ampa"]
    assert (ampa.base_url, ampa.region) == ("https://www.demat-ampa.fr", "Nouvelle-Aquitaine")
    assert ampa.search_url == "https://www.demat-ampa.fr/?page=Entreprise.EntrepriseAdvancedSearch&AllCons"


def test_other_target_platforms(platforms):
    assert (platforms["place"].base_url, platforms["place"].region) == (
        "https://www.marches-publics.gouv.fr",
        "",
    )
    assert platforms["megalis-bretagne"].region == "Bretagne"
    assert platforms["maximilien"].region == "Île-de-France"


def test_one_entry_per_host(platforms):
    hosts = [urlsplit(p.base_url).netloc.removeprefix("www.") for p in platforms.values()]
    assert len(hosts) == len(set(hosts))


def test_every_platform_of_the_public_lists_is_registered(platforms):
    folder = samples_path("atexo", "lists")
    hosts = {urlsplit(p.base_url).netloc.removeprefix("www.") for p in platforms.values()}
    for name in ("atexo_plateformes.csv", "atexo_plateformes-all_develop.csv"):
        with (folder / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                assert urlsplit(row["url"]).netloc.removeprefix("www.") in hosts, row


def test_get_platform():
    assert get_platform("demat-ampa").name.startswith("AMPA")


def test_unknown_key_suggests_close_matches():
    with pytest.raises(KeyError) as caught:
        get_platform("demat_ampa")
    assert caught.value.args[0] == "unknown Atexo platform 'demat_ampa'; did you mean demat-ampa?"


def test_unknown_key_without_close_match_lists_platforms():
    with pytest.raises(KeyError, match=r"known platforms: .*demat-ampa"):
        get_platform("zzzzzz")


def test_search_path_defaults(tmp_path):
    registry = tmp_path / "platforms.toml"
    registry.write_text('[platforms.demo]\nname = "Démo"\nbase_url = "http://127.0.0.1:8000/"\nregion = ""\n')
    demo = load_platforms(registry)["demo"]
    assert demo.base_url == "http://127.0.0.1:8000"
    assert demo.search_path == Platform.DEFAULT_SEARCH_PATH and demo.obey_robots


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('name = "X"\nbase_url = "https://x.fr"', "lacks region"),
        ('name = "X"\nbase_url = "https://x.fr"\nregion = "Aquitaine"', "not one of the 18 regions"),
        ('name = "X"\nbase_url = "x.fr"\nregion = ""', "not an http"),
        ('name = "X"\nbase_url = "https://x.fr"\nregion = ""\nrobots = false', "unknown fields robots"),
    ],
)
def test_invalid_entries_are_refused(tmp_path, entry, message):
    registry = tmp_path / "platforms.toml"
    registry.write_text(f"[platforms.bad]\n{entry}\n")
    with pytest.raises(ValueError, match=message):
        load_platforms(registry)
