"""Maps of Europe drawn from the book's own country outlines, so nothing is fetched.

Plotly's geographic subplots download their base maps from a CDN, which an
offline book cannot do. These maps instead project the Natural Earth outlines
in ``data/geo/europe_countries.geojson`` (see ``data/geo/README.md``) with a
Lambert azimuthal equal-area projection centred on Europe and draw each
country as a filled polygon on an ordinary x/y scatter trace: no geo subplot,
no download, and the light plotly.js bundle suffices.

    from nato_russia import enlargement_map, load_table
    enlargement_map(load_table("nato_members"), "NATO's enlargement, 1949–2009", borders="2010-12-31")

Every map draws the borders of one date, which the caller must give
(``borders=``): the outlines carry the dates between which each holds, from
1 January 1993 to 31 December 2010 (``data/geo/README.md``), and each map
writes "Borders as of <date>" on itself and in its text description.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .citations import sources_text
from .geography import borders_date, borders_text, label_point, load_countries, outline_xy, project, view_box
from .style import TOL_MUTED, describe, style
from .text import format_date, wrap_lines

SEA, OTHER_LAND, BORDER = "#EEF3F7", "#DDDDDD", "#FFFFFF"

# Points each view must show (longitude, latitude); the map is fitted to them.
EUROPE_VIEW = [(-24.5, 66.5), (-9.8, 36.5), (50.5, 39.0), (44.0, 44.0), (28.0, 71.2), (25.0, 34.3), (60.0, 57.0)]
MISSILE_DEFENCE_VIEW = [(-1.0, 50.0), (8.0, 58.5), (50.5, 39.0), (36.0, 60.5), (14.0, 38.0)]

NON_MEMBERS = {
    "RUS": ("Russia, with its Kaliningrad exclave", TOL_MUTED[6]),
    "BLR": ("Belarus", TOL_MUTED[7]),
    "UKR": ("Ukraine and Georgia: no MAP at Bucharest, 2008", TOL_MUTED[5]),
    "GEO": ("Ukraine and Georgia: no MAP at Bucharest, 2008", TOL_MUTED[5]),
}
ROUND_GROUPS = [  # (rounds, legend label, colour); the Cold War accessions share one shade
    ((1949,), "Founding members, 1949", TOL_MUTED[0]),
    ((1952, 1955, 1982), "Joined 1952–1982: Greece, Turkey (1952),<br>West Germany (1955), Spain (1982)", TOL_MUTED[1]),
    ((1999,), "Joined 1999", TOL_MUTED[2]),
    ((2004,), "Joined 2004", TOL_MUTED[3]),
    ((2009,), "Joined 2009", TOL_MUTED[4]),
]
OTHER_LABEL = "Other states"
BUCHAREST_EVENT = "2008-bucharest-summit"
KOSOVO_EVENT = "2008-kosovo-independence"
KALININGRAD_LABEL = (17.3, 55.7)  # longitude, latitude of the label: the open Baltic west of the exclave
KALININGRAD_SOURCE = "reuters2008medvedev"  # describes the region as an exclave bordering Poland and Lithuania


def _fitted_axes(fig: go.Figure, box: tuple[float, float, float, float]) -> None:
    """Show exactly the box, one km the same length on both axes, no axes drawn.

    The legend sits above the map, where _static/figures.js makes room for
    title and legend; it then gives the figure the height its width needs
    for the box (fitMapHeight), so the map fills the plot on any screen.
    Elsewhere (a notebook) the map sits at the top of a fixed height.
    """
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_xaxes(range=[box[0], box[2]], constrain="domain", **hidden)
    fig.update_yaxes(range=[box[1], box[3]], scaleanchor="x", scaleratio=1, constrain="domain", constraintoward="top",
                     **hidden)


def _map_layout(fig: go.Figure, title: str, box: tuple[float, float, float, float], height: int, borders: date,
                note_corner: str = "bottom left") -> go.Figure:
    """The book's layout, the map fitted to the box, and the borders' date written in a corner of the sea."""
    style(fig, title, "", "", height=height)
    _fitted_axes(fig, box)
    fig.update_layout(plot_bgcolor=SEA, hovermode="closest", margin={"l": 0, "r": 0, "b": 0})
    vertical, horizontal = note_corner.split()
    fig.add_annotation(
        text=borders_text(borders), xref="x domain", yref="y domain", x=0.005 if horizontal == "left" else 0.995,
        y=0.005 if vertical == "bottom" else 0.995, xanchor=horizontal, yanchor=vertical, showarrow=False,
        font={"size": 10},  # the theme's text colour, light or dark; figures.js darkens the background
        bgcolor="rgba(255,255,255,0.8)", borderpad=3, name="borders-note",
    )
    return fig


def _country_trace(feature: dict, box, name: str, colour: str, hover: str, first: bool) -> go.Scatter:
    xs, ys = outline_xy(feature, box)
    return go.Scatter(
        x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour, line={"color": BORDER, "width": 0.6},
        name=name, legendgroup=name, showlegend=first, hoveron="fills", hoverinfo="text", text=hover,
    )


def _labels(points: list[tuple[float, float, str, str]], size: int = 10) -> go.Scatter:
    """Text written on the map: (x, y, text, colour) each."""
    return go.Scatter(
        x=[round(p[0]) for p in points], y=[round(p[1]) for p in points], text=[p[2] for p in points],
        mode="text", textfont={"size": size, "color": [p[3] for p in points]}, hoverinfo="skip", showlegend=False,
    )


def _visible(countries: dict[str, dict], box) -> dict[str, dict]:
    """The countries with at least one polygon inside the box."""
    return {iso3: f for iso3, f in countries.items() if outline_xy(f, box)[0]}


def _event(events: pd.DataFrame | None, event_id: str, needed_for: str) -> tuple[pd.Timestamp, str, str]:
    """Date, date as written and sources of one event in events.csv."""
    if events is None:
        from .data import load_events

        events = load_events()
    row = events[events["id"] == event_id]
    if row.empty:
        raise KeyError(f"events.csv has no event {event_id!r}; the map needs it for {needed_for}.")
    row = row.iloc[0]
    return row["date"], format_date(row["date"], row["date_precision"]), sources_text(row["sources"])


def _not_before(when: date, shown: pd.Timestamp, what: str) -> None:
    """A map showing something that happened on ``shown`` cannot be drawn with the borders of an earlier day."""
    if pd.Timestamp(when) < shown:
        raise ValueError(f"borders={when.isoformat()} is earlier than {what} ({shown:%Y-%m-%d}), which this map "
                         f"shows; give the borders of {shown:%Y-%m-%d} or a later date.")


def kosovo_hover(declared: str, sources: str) -> str:
    """Kosovo's hover: when it declared independence, and that its status is disputed."""
    return (f"<b>Kosovo</b><br>Declared independence from Serbia on {declared};<br>its status is disputed: "
            "Serbia and Russia, among others,<br>do not recognise it. Not a NATO member."
            f"<br><i>{wrap_lines('Source: ' + sources, 60)}</i>")


def enlargement_map(members: pd.DataFrame, title: str, *, borders, events: pd.DataFrame | None = None,
                    height: int = 680) -> go.Figure:
    """NATO's members by accession round on a map of Europe with the borders of ``borders``.

    Countries take the colour of their round; the three Cold War rounds after
    1949 share one shade (the legend names each). Russia (with Kaliningrad),
    Belarus, and Ukraine and Georgia, the two aspirants refused a Membership
    Action Plan at Bucharest in April 2008, have colours of their own. Hover
    over a country for its date and sources; click a legend entry to hide it.
    ``borders`` (a date, required) may not precede the last accession in
    ``members`` or the Bucharest summit, both of which the map shows.
    """
    when = borders_date(borders)
    countries = load_countries(borders=when)
    box = view_box(EUROPE_VIEW)
    bucharest_day, bucharest_date, bucharest_sources = _event(events, BUCHAREST_EVENT, "Ukraine and Georgia")
    _not_before(when, max(members["accession_date"].max(), bucharest_day),
                "the last accession or the Bucharest summit")
    group_of = {r: group for group in ROUND_GROUPS for r in group[0]}
    by_iso = members.set_index("iso3")
    fig = go.Figure()
    shown, rows = set(), []
    legend_order = [label for _, label, _ in ROUND_GROUPS] + list(dict.fromkeys(n for n, _ in NON_MEMBERS.values())) + [OTHER_LABEL]
    traces = {label: [] for label in legend_order}
    for iso3, feature in sorted(_visible(countries, box).items()):
        sovereign = feature["properties"]["sovereign"]
        place = feature["properties"]["name"]
        if sovereign in by_iso.index:
            member = by_iso.loc[sovereign]
            _, label, colour = group_of[int(member["enlargement_round"])]
            joined = format_date(member["accession_date"])
            state = member["name"] + (f" ({place})" if sovereign != iso3 else "")
            note = f"<br>{wrap_lines(member['notes'], 60)}" if pd.notna(member["notes"]) else ""
            hover = (f"<b>{state}</b><br>Joined NATO {joined}{note}"
                     f"<br><i>{wrap_lines('Source: ' + sources_text(member['sources']), 60)}</i>")
        elif iso3 in NON_MEMBERS:
            label, colour = NON_MEMBERS[iso3]
            if iso3 in ("UKR", "GEO"):
                hover = (f"<b>{place}</b><br>Not a member. At Bucharest on {bucharest_date} the allies agreed<br>"
                         f"it would one day join, but gave it no Membership Action Plan."
                         f"<br><i>{wrap_lines('Source: ' + bucharest_sources, 60)}</i>")
                rows.append([place, "Aspirant; no MAP at Bucharest", bucharest_date, bucharest_sources])
            elif iso3 == "RUS":
                exclave = sources_text([KALININGRAD_SOURCE])
                hover = (f"<b>Russia</b><br>Not a member. The Kaliningrad region, between Poland<br>"
                         f"and Lithuania, is Russian territory cut off from the rest of Russia."
                         f"<br><i>{wrap_lines('Source: ' + exclave, 60)}</i>")
                rows.append(["Russia (with Kaliningrad)", "Not a member", "", exclave])
            else:
                hover = f"<b>{place}</b><br>Not a member; borders Poland, Lithuania, Latvia, Russia and Ukraine."
                rows.append([place, "Not a member", "", ""])
        elif iso3 == "XKX":
            _, declared, sources = _event(events, KOSOVO_EVENT, "Kosovo")
            label, colour, hover = OTHER_LABEL, OTHER_LAND, kosovo_hover(declared, sources)
            rows.append(["Kosovo", "Declared independence from Serbia; status disputed", declared, sources])
        else:
            label, colour = OTHER_LABEL, OTHER_LAND
            hover = f"<b>{place}</b><br>Not a NATO member on {format_date(pd.Timestamp(when))}"
        traces[label].append(_country_trace(feature, box, label, colour, hover, first=label not in shown))
        shown.add(label)
    for label in legend_order:
        fig.add_traces(traces[label])

    dark, light = "#222222", "#FFFFFF"
    russia = label_point(countries["RUS"], box=box)
    labels = [(*russia, "RUSSIA", dark), (*label_point(countries["BLR"]), "BELARUS", light),
              (*label_point(countries["UKR"]), "UKRAINE", dark), (*label_point(countries["GEO"]), "GEORGIA", dark)]
    labels += [(*label_point(countries[iso]), year, light) for iso, year in
               [("POL", "1999"), ("ROU", "2004"), ("HRV", "2009")]]
    fig.add_trace(_labels(labels))
    _map_layout(fig, title, box, height, when)
    _kaliningrad_label(fig, countries["RUS"])

    on_map = {f["properties"]["sovereign"] for f in _visible(countries, box).values()}
    ordered = members.sort_values(["accession_date", "name"])
    table = pd.DataFrame(
        [[m["name"] + ("" if m["iso3"] in on_map else " (not on this map)"), f"Member, round of {m['enlargement_round']}",
          format_date(m["accession_date"]), sources_text(m["sources"])] for _, m in ordered.iterrows()] + rows,
        columns=["State", "Status on the map", "Joined / decided", "Source"],
    )
    counts = ordered.groupby("enlargement_round").size()
    off_map = sorted(ordered.loc[~ordered["iso3"].isin(on_map), "name"])
    describe(
        fig,
        f"Map of Europe with NATO's {len(ordered)} members on {format_date(pd.Timestamp(when))} shaded by when they "
        "joined: " + ", ".join(f"{n} in {r}" for r, n in counts.items())
        + (f" ({' and '.join(off_map)} lie off the map)" if off_map else "")
        + ". Russia with its Kaliningrad exclave, Belarus, and Ukraine and Georgia, the two states refused a "
          f"Membership Action Plan at Bucharest on {bucharest_date}, have colours of their own. "
        + _borders_sentence(countries, when, events),
        table,
    )
    return fig


def _kaliningrad_label(fig: go.Figure, russia: dict) -> None:
    """The exclave's name in the open sea beside it, a thin line pointing to it.

    One line: between the Swedish and Polish coasts there is room for one
    line of text, not two; the colour and the legend say it is Russia's.
    """
    x, y = project(*KALININGRAD_LABEL)
    exclave = label_point(russia, west_of=23)
    fig.add_annotation(
        x=round(exclave[0]), y=round(exclave[1]), ax=round(x), ay=round(y), axref="x", ayref="y",
        text="Kaliningrad", showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor="#777777",
        font={"size": 9}, bgcolor="rgba(238,243,247,0.85)", borderpad=1, name="kaliningrad",
    )


def _borders_sentence(countries: dict[str, dict], when: date, events: pd.DataFrame | None) -> str:
    """The text description's note on the borders: their date, and Kosovo's status where it is drawn apart."""
    sentence = f"{borders_text(when)}."
    if "XKX" in countries:
        _, declared, _ = _event(events, KOSOVO_EVENT, "Kosovo")
        sentence += (f" Kosovo, which declared independence from Serbia on {declared}, is drawn as a separate "
                     "territory; its status is disputed.")
    return sentence


SITE_KINDS = {  # kind in missile_defence_sites.csv -> legend label, marker symbol, colour
    "us_interceptors_planned": ("Planned US interceptor site", "triangle-up", TOL_MUTED[0]),
    "us_radar_planned": ("Planned US radar", "diamond", TOL_MUTED[3]),
    "radar_offered_by_russia": ("Russian-leased radar offered instead", "square", TOL_MUTED[7]),
    "iskander_announced": ("Iskander missiles announced", "x", TOL_MUTED[6]),
}


def _site_events(site, events: pd.DataFrame) -> list[str]:
    linked = events.set_index("id").loc[site["events"]].sort_values("date")
    return [f"{format_date(e['date'], e['date_precision'])}: {e['title']}" for _, e in linked.iterrows()]


def missile_defence_map(sites: pd.DataFrame, title: str, *, borders, members: pd.DataFrame | None = None,
                        events: pd.DataFrame | None = None, height: int = 550) -> go.Figure:
    """The missile-defence geography of 2007–2009: planned US sites, the Gabala offer, Kaliningrad.

    Drawn with the borders of ``borders``. Background countries are NATO's
    members on that date (pale), Russia (rose) and the rest (grey). Each site is a marker with its own symbol;
    hover for the dated events tied to it and the sources of both the events
    and the site's location. ``borders`` (a date, required) may not precede
    the last event tied to a site.
    """
    from .data import load_events, load_table

    when = borders_date(borders)
    events = load_events() if events is None else events
    members = load_table("nato_members") if members is None else members
    countries = load_countries(borders=when)
    linked = events[events["id"].isin({e for site_events in sites["events"] for e in site_events})]
    _not_before(when, linked["date"].max(), "the last event tied to a site")
    box = view_box(MISSILE_DEFENCE_VIEW)
    in_nato = set(members.loc[members["accession_date"] <= pd.Timestamp(when), "iso3"])
    members_label = f"NATO members on {format_date(pd.Timestamp(when))}"
    fig = go.Figure()
    shown = set()
    for iso3, feature in sorted(_visible(countries, box).items()):
        sovereign = feature["properties"]["sovereign"]
        if sovereign == "RUS":
            label, colour, rank = "Russia", "#E8BBC3", 2
        elif sovereign in in_nato:
            label, colour, rank = members_label, "#C6E6F5", 1
        else:
            label, colour, rank = OTHER_LABEL, OTHER_LAND, 3
        fig.add_trace(_country_trace(feature, box, label, colour, "", first=label not in shown))
        fig.data[-1].legendrank = rank
        shown.add(label)

    rows = []
    for kind, (label, symbol, colour) in SITE_KINDS.items():
        chosen = sites[sites["kind"] == kind]
        if chosen.empty:
            continue
        xs, ys, custom = [], [], []
        for _, site in chosen.iterrows():
            x, y = project(float(site["longitude"]), float(site["latitude"]))
            dated = _site_events(site, events)
            event_sources = sorted({key for event_id in site["events"] for key in
                                    events.loc[events["id"] == event_id, "sources"].iloc[0]})
            sources = sources_text(list(dict.fromkeys(list(site["sources"]) + event_sources)))
            xs.append(round(x))
            ys.append(round(y))
            custom.append([site["name"], label, "<br>".join(wrap_lines(line, 64) for line in dated),
                           wrap_lines(site["location_note"], 64), wrap_lines("Sources: " + sources, 64)])
            rows.append([site["name"], label, "; ".join(dated), site["location_note"], sources])
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text", name=label, text=[s for s in chosen["short_name"]],
            textposition=[p for p in chosen["label_position"]], textfont={"size": 12, "color": "#222222"},
            marker={"symbol": symbol, "size": 15, "color": colour, "line": {"color": "white", "width": 1.5}},
            customdata=custom, cliponaxis=False,
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><br>%{customdata[2]}"
                          "<br><br>%{customdata[3]}<br><i>%{customdata[4]}</i><extra></extra>",
        ))
    _map_layout(fig, title, box, height, when, note_corner="top left")
    fig.update_traces(selector={"mode": "lines"}, hoverinfo="skip")  # only the sites answer to hover
    describe(
        fig,
        f"Map of Europe and the Caucasus with {len(sites)} places in the missile-defence dispute of 2007–2009: "
        + "; ".join(f"{s['name']}: {SITE_KINDS[s['kind']][0]}" for _, s in sites.iterrows())
        + f". NATO's members on {format_date(pd.Timestamp(when))} are shaded pale blue, Russia pale red. "
        + _borders_sentence(countries, when, events),
        pd.DataFrame(rows, columns=["Place", "Role", "Events", "Location", "Sources"]),
    )
    return fig
