"""The maps: drawn from the committed outlines, complete, sourced, and offline in the built book."""

from __future__ import annotations

import json

import pytest

from nato_russia import TOL_MUTED, enlargement_map, load_countries, load_table, missile_defence_map, project
from nato_russia.data import bibtex_keys, data_dir
from nato_russia.maps import EUROPE_VIEW, GEOMETRY, MISSILE_DEFENCE_VIEW, clip, view_box

OUTLINES = data_dir() / GEOMETRY
ON_THE_MAP = {"RUS", "BLR", "UKR", "GEO"}


@pytest.fixture(scope="module")
def members():
    return load_table("nato_members")


@pytest.fixture(scope="module")
def sites():
    return load_table("missile_defence_sites")


def test_outlines_are_committed_small_and_say_where_they_come_from():
    collection = json.loads(OUTLINES.read_text(encoding="utf-8"))
    assert "Natural Earth" in collection["properties"]["source"]
    assert OUTLINES.stat().st_size < 200_000, "keep the outlines small: they travel in every map page and pack"
    readme = (OUTLINES.parent / "README.md").read_text(encoding="utf-8")
    assert "public domain" in readme and "world-atlas" in readme and "tools/make_europe_geojson.py" in readme


def test_every_european_member_and_every_marked_state_has_an_outline(members):
    sovereigns = {f["properties"]["sovereign"] for f in load_countries().values()}
    missing = (set(members["iso3"]) | ON_THE_MAP) - sovereigns
    assert missing == {"USA", "CAN"}, f"no outline for {sorted(missing)}"


def test_projection_is_centred_and_keeps_east_and_north_the_right_way_round():
    assert project(15.0, 53.0) == pytest.approx((0.0, 0.0), abs=1e-9)
    moscow, lisbon, oslo, athens = project(37.6, 55.8), project(-9.1, 38.7), project(10.7, 59.9), project(23.7, 38.0)
    assert moscow[0] > 0 > lisbon[0]
    assert oslo[1] > 0 > athens[1]
    warsaw = project(21.0, 52.2)  # about 420 km east of the centre
    assert 380 < warsaw[0] < 460


def test_clip_keeps_what_is_inside_and_cuts_the_rest():
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    assert clip(square, (-1, -1, 11, 11)) == square
    cut = clip(square, (0, 0, 5, 5))
    assert {tuple(map(float, p)) for p in cut} == {(0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (0.0, 5.0)}
    assert clip(square, (20, 20, 30, 30)) == []


def _country_traces(fig):
    return [t for t in fig.data if t.fill == "toself"]


def test_enlargement_map_colours_each_round_and_the_marked_states(members):
    fig = enlargement_map(members, "Test map")
    traces = _country_traces(fig)
    assert not any(t.type != "scatter" for t in fig.data), "plain x/y traces only: no geo subplot, nothing to fetch"
    colour_of = {}
    for trace in traces:
        colour_of.setdefault(trace.name, set()).add(trace.fillcolor)
    assert all(len(colours) == 1 for colours in colour_of.values()), colour_of
    used = {next(iter(c)) for name, c in colour_of.items() if name != "Other states"}
    assert used <= set(TOL_MUTED), used
    assert len(used) == len(colour_of) - 1, "every legend entry has its own colour"
    legend = [t.name for t in traces if t.showlegend]
    assert legend[:5] == ["Founding members, 1949",
                          "Joined 1952–1982: Greece, Turkey (1952),<br>West Germany (1955), Spain (1982)",
                          "Joined 1999", "Joined 2004", "Joined 2009"]
    hover = {t.text.split("</b>")[0].removeprefix("<b>"): t.text for t in traces}
    assert "29 March 2004" in hover["Estonia"] and "Source:" in hover["Estonia"]
    assert "Bucharest" in hover["Ukraine"] and "Membership Action Plan" in hover["Georgia"]
    assert "Kaliningrad" in hover["Russia"]
    labels = [t for t in fig.data if t.mode == "text"][0].text
    for name in ("RUSSIA", "BELARUS", "UKRAINE", "GEORGIA"):
        assert name in labels
    assert any("Kaliningrad" in label for label in labels)
    assert fig.layout.title.text == "Test map"


def test_enlargement_map_table_lists_every_member_and_the_marked_states(members):
    meta = enlargement_map(members, "Test map").layout.meta
    rows = meta["table"]["rows"]
    states = [row[0] for row in rows]
    assert len(rows) == len(members) + len(ON_THE_MAP)
    assert "United States of America (not on this map)" in states and "Canada (not on this map)" in states
    assert all(row[3] for row in rows if "Member" in row[1]), "every member row names its source"
    assert "28 members" in meta["description"] and "off the map" in meta["description"]


def test_map_views_show_every_place_they_are_about(sites):
    west, south, east, north = view_box(MISSILE_DEFENCE_VIEW, margin_km=0)
    for _, site in sites.iterrows():
        x, y = project(float(site["longitude"]), float(site["latitude"]))
        assert west <= x <= east and south <= y <= north, site["id"]
    west, south, east, north = view_box(EUROPE_VIEW, margin_km=0)
    for lon, lat in [(-21.9, 64.1), (44.8, 41.7), (20.5, 54.7), (-9.1, 38.7)]:  # Reykjavík, Tbilisi, Kaliningrad, Lisbon
        x, y = project(lon, lat)
        assert west <= x <= east and south <= y <= north, (lon, lat)


def test_missile_defence_sites_are_where_the_sources_put_them(sites):
    where = sites.set_index("id")[["latitude", "longitude"]].astype(float)
    # Czech defence ministry, 2007: hill 718.8 at 49°38'06.8" N, 13°44'52.6" E
    assert where.loc["brdy"].tolist() == pytest.approx([49 + 38 / 60 + 6.8 / 3600, 13 + 44 / 60 + 52.6 / 3600], abs=0.001)
    assert where.loc["gabala"].tolist() == pytest.approx([40.870, 47.790], abs=0.001)  # GlobalSecurity.org
    assert where.loc["redzikowo"].tolist() == pytest.approx([54.48, 17.10], abs=0.01)
    kaliningrad = [p for p in load_countries()["RUS"]["geometry"]["coordinates"] if max(x for x, _ in p[0]) < 23][0][0]
    lons, lats = [x for x, _ in kaliningrad], [y for _, y in kaliningrad]
    assert min(lons) < where.loc["kaliningrad", "longitude"] < max(lons)
    assert min(lats) < where.loc["kaliningrad", "latitude"] < max(lats)
    assert set(sites["sources"].explode()) <= bibtex_keys()


def test_missile_defence_map_hover_gives_dated_events_and_sources(sites):
    fig = missile_defence_map(sites, "Test map")
    markers = [t for t in fig.data if t.mode == "markers+text"]
    assert len(markers) == 4 and len({t.marker.symbol for t in markers}) == 4, "one symbol per kind of site"
    custom = {row[0]: row for trace in markers for row in trace.customdata}
    redzikowo = custom["Redzikowo, near Słupsk (Poland)"]
    assert "20 August 2008" in redzikowo[2] and "17 September 2009" in redzikowo[2]
    assert "Sources:" in redzikowo[4] and "Pace (2008)" in redzikowo[4]
    assert "7 June 2007" in custom["Gabala (Qabala) radar station (Azerbaijan)"][2]
    assert "5 November 2008" in custom["Kaliningrad region (Russia)"][2]
    assert all(t.hoverinfo == "skip" for t in _country_traces(fig)), "only the sites answer to hover"
    assert len(fig.layout.meta["table"]["rows"]) == len(sites)


@pytest.mark.build
@pytest.mark.parametrize("chapter, figure_name", [("chapters/drift_2003_2007", "fig-drift-enlargement-map"),
                                                  ("chapters/reset_2008_2010", "fig-reset-missile-defence-map")])
def test_maps_are_in_the_book_with_caption_and_basic_bundle(built_book, chapter, figure_name):
    page = (built_book.html / f"{chapter}.html").read_text(encoding="utf-8")
    assert f'id="{figure_name}"' in page
    assert "vendor/plotly-basic-" in page, "the maps need no bundle beyond the basic one"
    assert "geojson" not in page and "topojson" not in page.lower(), "nothing for plotly.js to fetch"


@pytest.mark.browser
@pytest.mark.parametrize("chapter", ["chapters/drift_2003_2007", "chapters/reset_2008_2010"])
def test_maps_draw_offline_and_answer_to_hover(browser, site, chapter):
    from test_browser import FIGURE, draw_every_figure, open_page

    seen = open_page(browser, f"{site}/{chapter}.html")
    page = seen["page"]
    draw_every_figure(page)
    maps = page.locator(f"{FIGURE}[aria-label*='enlargement, 1949'], {FIGURE}[aria-label*='Missile defence']")
    assert maps.count() == 1
    the_map = maps.first
    the_map.scroll_into_view_if_needed()
    if "reset" in chapter:
        the_map.locator(".scatterlayer .trace .points path").first.hover(force=True)
    else:  # the mouse over central Poland, placed through the figure's own axes
        x, y = project(19.4, 52.1)
        offset = the_map.evaluate(
            "(div, [x, y]) => { const l = div._fullLayout; const r = div.getBoundingClientRect();"
            " return [r.left + l.xaxis._offset + l.xaxis.l2p(x), r.top + l.yaxis._offset + l.yaxis.l2p(y)]; }", [x, y])
        page.mouse.move(*offset)
    hover = the_map.locator(".hoverlayer .hovertext")
    hover.first.wait_for(timeout=5_000)
    text = hover.first.text_content()
    page.close()
    assert "Source" in text, text
    if "drift" in chapter:
        assert "Poland" in text and "12 March 1999" in text, text
    assert seen["external"] == [] and seen["failed"] == [] and seen["console"] == [], seen
