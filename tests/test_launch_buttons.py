"""A JupyterHub launch button is one setting away: ``launch_buttons.jupyterhub_url`` in ``_config.yml``.

With it set, the theme gives every chapter a JupyterHub button whose link
asks the hub's nbgitpuller to clone this repository and open the chapter's
notebook. Checked on a small real build: a copy of the book reduced to one
chapter, not executed (only the page's header buttons matter here).
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from support import ROOT, build_book, copy_repository

HUB = "https://hub.example.org"
CHAPTER = "chapters/timeline"


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_jupyterhub_is_a_documented_setting_off_by_default():
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert config()["launch_buttons"]["jupyterhub_url"] == ""
    assert re.search(r"\n  # [^\n]*nbgitpuller[^\n]*\n(  #[^\n]*\n)*  jupyterhub_url:", text), "explain the setting beside it"


@pytest.mark.build
def test_no_jupyterhub_button_while_the_setting_is_empty(built_book):
    assert "git-pull" not in (built_book.html / f"{CHAPTER}.html").read_text(encoding="utf-8")


def hub_links(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]*/hub/user-redirect/git-pull\?[^"]*)"', page)]


def test_setting_the_hub_gives_each_chapter_a_correct_nbgitpuller_link(tmp_path):
    source = copy_repository(tmp_path / "book", "tests", "benchmarks")
    settings = config()
    settings["launch_buttons"]["jupyterhub_url"] = HUB
    settings["execute"]["execute_notebooks"] = "off"
    (source / "_config.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    (source / "_toc.yml").write_text(f"format: jb-book\nroot: {CHAPTER}\n", encoding="utf-8")

    build = build_book(source, tmp_path / "out", strict=False)  # one chapter alone: links to the others dangle

    assert build.returncode == 0, build.log[-3000:]
    links = hub_links((build.html / f"{CHAPTER}.html").read_text(encoding="utf-8"))
    assert len(links) == 1, links
    link = urlsplit(links[0])
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{HUB}/hub/user-redirect/git-pull"
    query = {key: values[0] for key, values in parse_qs(link.query).items()}
    repository = settings["repository"]
    # nbgitpuller clones into a folder named after the repository, then opens the chapter's paired notebook
    assert query == {"repo": repository["url"], "branch": repository["branch"],
                     "urlpath": f"lab/tree/{repository['url'].rstrip('/').rsplit('/', 1)[1]}/{CHAPTER}.ipynb"}
    assert (ROOT / f"{CHAPTER}.ipynb").is_file()
