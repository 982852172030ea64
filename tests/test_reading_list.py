"""The seminar reading list: every week of the plan assigns 2–3 works that exist, with pages or chapters and access."""

from __future__ import annotations

import re

from nato_russia.data import data_dir
from support import ROOT

READING_LIST = ROOT / "seminar" / "reading_list.md"
WEEK = re.compile(r"^\(reading-list-week-(\d+)\)=$", re.M)
# An assigned reading is a bullet that opens with a textual citation of one key.
READING = re.compile(r"^- \{footcite:t\}`([^`]+)`(.*?)(?=^- |^\(|^## |\Z)", re.M | re.S)
PAGES_OR_CHAPTERS = re.compile(r"\b(pp\. \d+|from p\. \d+|chapters? \d+)")
OPEN_ACCESS = re.compile(r"\*\*Open access:\*\*\s*<(\S+)>")


def bibliography() -> dict:
    from pybtex.database import parse_file

    return dict(parse_file(str(data_dir() / "references.bib")).entries)


def plan_weeks() -> list[int]:
    """The week numbers of the term table in the seminar guide."""
    index = (ROOT / "seminar" / "index.md").read_text(encoding="utf-8")
    return [int(week) for week in re.findall(r"^\| (\d+) \|", index, re.M)]


def readings_by_week(text: str) -> dict[int, list[tuple[str, str]]]:
    """Week number -> [(bibliography key, text of the bullet)], read from the reading list's markup."""
    starts = [(int(match.group(1)), match.end()) for match in WEEK.finditer(text)]
    weeks = {}
    for position, (week, start) in enumerate(starts):
        end = starts[position + 1][1] if position + 1 < len(starts) else len(text)
        weeks[week] = [(match.group(1), " ".join(match.group(2).split())) for match in READING.finditer(text[start:end])]
    return weeks


def problems(text: str, entries: dict, weeks: list[int]) -> list[str]:
    """Everything wrong with a reading list, one line per problem, naming week and key."""
    found = []
    by_week = readings_by_week(text)
    for week in weeks:
        readings = by_week.get(week, [])
        if not 2 <= len(readings) <= 3:
            found.append(f"reading_list.md, week {week}: {len(readings)} readings assigned; set 2 or 3")
        for key, bullet in readings:
            where = f"reading_list.md, week {week}, {key}"
            entry = entries.get(key)
            if entry is None:
                found.append(f"{where}: no entry {key!r} in data/references.bib")
                continue
            fields = entry.fields
            if entry.type == "book":
                if not ("pages" in fields or "chapter" in fields or "chapter" in fields.get("note", "").lower()):
                    found.append(f"{where}: the book's entry names no chapter or pages (add a `note` naming them)")
            elif "pages" not in fields:
                found.append(f"{where}: the entry has no `pages` field")
            if not PAGES_OR_CHAPTERS.search(bullet):
                found.append(f"{where}: the list gives no pages or chapters (write 'pp. 12–34' or 'chapter 3')")
            is_open = OPEN_ACCESS.search(bullet)
            if is_open:
                if not is_open.group(1).startswith("https://"):
                    found.append(f"{where}: open-access link {is_open.group(1)!r} is not https")
            elif "**Library.**" not in bullet:
                found.append(f"{where}: marked neither **Open access:** <https://…> nor **Library.**")
    extra = sorted(set(by_week) - set(weeks))
    if extra:
        found.append(f"reading_list.md: weeks {extra} are not in the twelve-week plan of seminar/index.md")
    return found


def test_the_plan_has_twelve_weeks_to_check():
    assert plan_weeks() == list(range(1, 13))


def test_every_week_assigns_two_or_three_readings_that_exist_with_pages_and_access():
    text = READING_LIST.read_text(encoding="utf-8")
    assert problems(text, bibliography(), plan_weeks()) == []
    assert sum(len(readings) for readings in readings_by_week(text).values()) >= 24


def test_open_access_readings_link_a_free_copy_over_https():
    text = READING_LIST.read_text(encoding="utf-8")
    links = OPEN_ACCESS.findall(text)
    assert links and all(link.startswith("https://") for link in links)
    entries = bibliography()
    for week, readings in readings_by_week(text).items():
        for key, bullet in readings:
            if OPEN_ACCESS.search(bullet):
                assert entries[key].fields.get("url", "").startswith("https://"), f"week {week}, {key}"


def test_the_check_finds_each_kind_of_fault():
    """The same check on damaged copies of the list and the bibliography reports every fault."""
    text = READING_LIST.read_text(encoding="utf-8")
    entries = bibliography()
    weeks = plan_weeks()
    first_week = text.index("(reading-list-week-1)=")
    second_week = text.index("(reading-list-week-2)=")

    # A reading whose key is not in the bibliography.
    unknown = text.replace("{footcite:t}`kanet2012`", "{footcite:t}`nosuchwork1999`", 1)
    assert any("no entry 'nosuchwork1999'" in line for line in problems(unknown, entries, weeks))

    # An article whose entry lost its pages.
    from pybtex.database import Entry

    stripped = dict(entries)
    article = entries["goldstein1992"]
    stripped["goldstein1992"] = Entry(article.type, fields={k: v for k, v in article.fields.items() if k != "pages"})
    assert any("goldstein1992: the entry has no `pages`" in line for line in problems(text, stripped, weeks))

    # A reading listed without pages, and one with no access marking.
    no_pages = text[:first_week] + text[first_week:second_week].replace("pp. 75–96", "the whole article", 1) + text[second_week:]
    assert any("week 1, kanet2012: the list gives no pages" in line for line in problems(no_pages, entries, weeks))
    no_access = text[:first_week] + text[first_week:second_week].replace("**Library.**", "", 1) + text[second_week:]
    assert any("week 1, kanet2012: marked neither" in line for line in problems(no_access, entries, weeks))

    # An open-access link over http.
    insecure = text.replace("<https://eprints.lse.ac.uk/79132/>", "<http://eprints.lse.ac.uk/79132/>", 1)
    assert any("is not https" in line for line in problems(insecure, entries, weeks))

    # A week with a single reading, and a week missing altogether.
    one_reading = text[:first_week] + re.sub(r"^- \{footcite:t\}`goldstein1992`.*?(?=^\(reading)", "",
                                             text[first_week:second_week] + "(reading", flags=re.M | re.S)[:-len("(reading")] + text[second_week:]
    assert "reading_list.md, week 1: 1 readings assigned; set 2 or 3" in problems(one_reading, entries, weeks)
    assert "reading_list.md, week 13: 0 readings assigned; set 2 or 3" in problems(text, entries, weeks + [13])


def test_every_session_links_its_week_of_the_reading_list():
    for path in sorted((ROOT / "seminar").glob("session_*.md")):
        text = path.read_text(encoding="utf-8")
        reading = text[text.index("## Reading before class"):].split("\n## ", 1)[0]
        assert re.search(r"\{ref\}`reading-list-week-\d+`", reading), f"{path.name}: no link to its week of the reading list"
