"""A real Scrapyd node on 127.0.0.1, the project deployed on it, crawls scheduled there into PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import tenderwatch
from storage import runs
from storage.engine import Store
from tenderwatch.cli import main
from tenderwatch.demo_site import serve
from tenderwatch.ops.jobs import JobRunner
from tenderwatch.ops.scrapyd import ScrapydError, ScrapydNode
from tests.conftest import postgres_url_or_skip
from tests.ops.helpers import (
    FAST,
    count_notices,
    crawl_runs,
    demo_job,
    demo_schedule,
    free_port,
    records,
    wait_for,
)

ROOT = Path(tenderwatch.__file__).resolve().parent.parent
PACKAGES = ("crawler", "classifier", "models", "storage", "tenderwatch")
FILES = ("pyproject.toml", "setup.py", "scrapy.cfg", "README.md")


def copy_project(target: Path) -> Path:
    """The files scrapyd-deploy builds the egg from, copied so that the build leaves the work tree alone."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    for name in FILES:
        shutil.copy2(ROOT / name, target / name)
    return target


def build_egg(project: Path, egg: Path) -> None:
    """`scrapyd-deploy --build-egg` in `project`; fails when the egg lacks the settings entry point Scrapyd needs."""
    build = subprocess.run([str(Path(sys.executable).parent / "scrapyd-deploy"), "--build-egg", str(egg)],
                           cwd=project, capture_output=True, text=True, timeout=180, check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    with zipfile.ZipFile(egg) as built:
        entry_points = built.read("EGG-INFO/entry_points.txt").decode()
    if "[scrapy]" not in entry_points:
        pytest.fail("the egg has no Scrapy settings entry point, which Scrapyd's runner needs: pyproject.toml must "
                    "declare [project.entry-points.scrapy] settings = \"crawler.settings\"")


def deploy(project: Path, egg: Path, url: str) -> None:
    """`scrapyd-deploy test --egg` to the node at `url` (a [deploy:test] target added to the copy's scrapy.cfg)."""
    with open(project / "scrapy.cfg", "a") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {url}/\nproject = tenderwatch\n")
    done = subprocess.run([str(Path(sys.executable).parent / "scrapyd-deploy"), "test", "--egg", str(egg)],
                          cwd=project, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and '"status": "ok"' in done.stdout, done.stdout + done.stderr[-2000:]
    ScrapydNode(url).check_project("tenderwatch", "atexo")


@pytest.fixture(scope="module")
def scrapyd_url(tmp_path_factory):
    """A Scrapyd node on a free port of 127.0.0.1 with the project deployed on it."""
    postgres_url_or_skip()
    home = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home}/eggs\nlogs_dir = {home}/logs\n"
        f"dbs_dir = {home}/dbs\nitems_dir =\npoll_interval = 0.2\nmax_proc = 4\n"
    )
    # A node has tenderwatch installed (PYTHONPATH stands for a regular install): its dependencies cannot travel in
    # an egg, and its data files (migrations, platform registry, classifier) are read from the installed package.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(home / "scrapyd.out", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=home, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            project, egg = copy_project(home / "project"), home / "tenderwatch.egg"
            build_egg(project, egg)
            wait_for(lambda: _up(url) or process.poll() is not None, timeout=30, what="Scrapyd to listen")
            assert process.poll() is None, (home / "scrapyd.out").read_text()
            deploy(project, egg, url)
            yield url
        except ScrapydError as exc:
            pytest.fail(f"{exc}; Scrapyd log: {(home / 'scrapyd.out').read_text()[-2000:]}")
        finally:
            process.terminate()
            process.wait(20)


def _up(url: str) -> bool:
    try:
        ScrapydNode(url, timeout=1).load()
        return True
    except ScrapydError:
        return False


def settings_options() -> list[str]:
    return [option for key, value in FAST.items() for option in ("-s", f"{key}={value}")]


def test_crawl_scheduled_on_scrapyd_writes_into_postgresql(scrapyd_url, postgres_schema_url, capsys):
    store = Store(postgres_schema_url)
    node = ScrapydNode(scrapyd_url)
    with serve(records(3)) as site:
        status = main(["--db", postgres_schema_url, "crawl", "atexo", "-a", "platform=demo", "-a",
                       f"base_url={site.base_url}", *settings_options(), "--scrapyd", scrapyd_url])
        out, err = capsys.readouterr()
        assert status == 0, err
        job_id = re.search(r"job (\w+)", out).group(1)
        wait_for(lambda: node.job_state("tenderwatch", job_id) == "finished", timeout=60, every=0.3,
                 what="the Scrapyd job to finish")
    assert count_notices(store, "atexo:demo") == (3, 3)
    (row,) = crawl_runs(store, "atexo:demo")
    assert row.status == runs.SUCCEEDED and row.counts["new"] == 3
    assert row.arguments["_job"] == job_id and row.host == socket.gethostname()
    assert row.log_path and row.log_path.endswith(f"{job_id}.log")
    store.dispose()


def test_scheduler_runs_its_crawls_on_scrapyd_nodes(scrapyd_url, postgres_schema_url, tmp_path, data_dir):
    store = Store(postgres_schema_url)
    with serve(records(2)) as site:
        plan = demo_schedule(tmp_path, [demo_job("remote", site, platform="remote")],
                             scrapyd={"nodes": [scrapyd_url, scrapyd_url + "/"], "placement": "least_busy",
                                      "poll_seconds": 0.3})
        report = JobRunner(plan, plan.job("remote"), store, data_dir=data_dir).run()
    assert report.ok, report.text()
    (outcome,) = report.outcomes
    assert outcome.where.startswith(f"{scrapyd_url} job ") and outcome.log.endswith(".log")
    assert count_notices(store, "atexo:remote") == (2, 2)
    (row,) = crawl_runs(store)
    assert row.status == runs.SUCCEEDED and outcome.run_id == row.id
    store.dispose()
