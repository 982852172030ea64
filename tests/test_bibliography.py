"""The bibliography as readers see it: titles as written, dashes as dashes, links that open over https."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
import yaml

from nato_russia.data import data_dir
from nato_russia.citations import as_printed, source_label, sources_text
from support import ROOT


def entries() -> dict:
    from pybtex.database import parse_file

    return dict(parse_file(str(data_dir() / "references.bib")).entries)


def page_text(path) -> str:
    """A built page's visible text, entities decoded and every run of white space (no-break too) one space."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


# Titles that pybtex's own styles printed in lower case ("pledge to russia", "Open letter to president clinton").
CAPITALISED_TITLES = {
    "kramer2009": "The Myth of a No-NATO-Enlargement Pledge to Russia",
    "openletter1997": "Open Letter to President Clinton on NATO Expansion",
    "nrc2010lisbon": "NATO–Russia Council Joint Statement",
}


def test_the_titles_chosen_for_checking_are_in_the_bibliography():
    bib = entries()
    assert {key: as_printed(bib[key].fields["title"]) for key in CAPITALISED_TITLES} == CAPITALISED_TITLES


@pytest.mark.build
def test_the_bibliography_page_prints_every_title_as_written(built_book):
    text = page_text(built_book.html / "reference" / "bibliography.html")
    for key, title in CAPITALISED_TITLES.items():
        assert title in text, f"{key}: {title!r} is not on the bibliography page as written"
    altered = {key: as_printed(entry.fields["title"]) for key, entry in entries().items()
               if " ".join(as_printed(entry.fields["title"]).split()) not in text}
    assert altered == {}, f"titles not printed as written in references.bib: {altered}"


def test_the_book_formats_references_with_the_style_that_keeps_titles():
    """_config.yml selects the style that book_extensions.bibliography_style registers with pybtex."""
    from pybtex.plugin import find_plugin

    from book_extensions.bibliography_style import TITLE_STYLE, TitlesAsWrittenStyle, register_title_style

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["bibtex_default_style"] == TITLE_STYLE
    register_title_style()
    assert find_plugin("pybtex.style.formatting", TITLE_STYLE) is TitlesAsWrittenStyle
    text = find_plugin("pybtex.backends", "text")()
    formatted = {entry.key: entry.text.render(text) for entry in TitlesAsWrittenStyle().format_entries(entries().values())}
    assert CAPITALISED_TITLES["kramer2009"] in formatted["kramer2009"], formatted["kramer2009"]


@pytest.mark.parametrize(("latex", "printed"), [
    ("NATO--Russia Council", "NATO–Russia Council"),  # en dash
    ("Europe---and Russia", "Europe—and Russia"),  # em dash
    ("The Limits of Partnership: {U.S.}--Russian Relations", "The Limits of Partnership: U.S.–Russian Relations"),
    ("{{NATO--Russia Permanent Joint Council}}", "NATO–Russia Permanent Joint Council"),
    ("Conf\\'erence de Paris", "Conférence de Paris"),  # LaTeX accents decoded
])
def test_bibtex_text_is_shown_as_the_bibliography_prints_it(latex, printed):
    assert as_printed(latex) == printed


def test_hover_sources_show_dashes_not_bibtex_markup():
    assert sources_text(["nrc2010lisbon"]).startswith("NATO–Russia Council (2010), NATO–Russia Council Joint Statement")
    raw = {key: label for key in entries() if re.search(r"--|[{}\\]", label := source_label(key))}
    assert raw == {}, f"hover labels with BibTeX markup left in: {raw}"


# Hosts whose pages are still linked at http://, and why. Every other bibliography
# link must use https (as event urls must, by data/datapackage.json).
HTTP_HOSTS = {
    host: "https not confirmed for this host (checked without network access, December 2026); switch once confirmed"
    for host in ["dosfan.lib.uic.edu", "e-finance.com.ua", "english.china.org.cn", "for-ua.com",
                 "latinamericanstudies.org", "old.civil.ge", "old.radio.cz", "oldtmt.vedomosti.ru", "www.bits.de",
                 "www.ceiig.ch", "www.seclist.org", "www.summitbucharest.gov.ro", "cdnedge.bbc.co.uk"]
}
# Sites that no longer exist: a link to them is no link.
DEAD_HOSTS = {"www.questia.com": "Questia closed in December 2020", "questia.com": "Questia closed in December 2020"}
# An address starting at a word boundary, not one quoted inside an archive's address (…/web/2012…/http://…).
ADDRESS = re.compile(r"(?<![/\w])https?://[^\s},]+")


def bibliography_addresses() -> list[tuple[str, str, str]]:
    return [(key, field, address) for key, entry in entries().items() for field, value in entry.fields.items()
            for address in ADDRESS.findall(value)]


def test_bibliography_links_use_https():
    insecure = [f"references.bib, entry {key}, field {field!r}: {address!r} uses http://; "
                f"use the https:// address of the same page (e.g. https://www.nato.int/…)"
                for key, field, address in bibliography_addresses()
                if address.startswith("http://") and urlsplit(address).hostname not in HTTP_HOSTS]
    assert insecure == [], "\n".join(insecure)


def test_bibliography_links_point_at_live_sites():
    dead = [f"references.bib, entry {key}, field {field!r}: {address!r} is on a closed site "
            f"({DEAD_HOSTS[urlsplit(address).hostname]}); remove the url or link a live copy"
            for key, field, address in bibliography_addresses() if urlsplit(address).hostname in DEAD_HOSTS]
    assert dead == [], "\n".join(dead)


def test_the_link_checks_find_what_they_look_for():
    found = ADDRESS.findall("see http://www.nato.int/x.htm and https://web.archive.org/web/2012/http://www.nato.int/y.htm")
    assert found == ["http://www.nato.int/x.htm", "https://web.archive.org/web/2012/http://www.nato.int/y.htm"]
    assert all(urlsplit(address).hostname for address in found)
