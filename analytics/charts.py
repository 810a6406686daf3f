"""Plotly figures from measure results, after disclosure control: pure functions, one template.

Every figure here is drawn from a table of shown values (`analytics.present`): a hidden number,
"c", is a gap (no bar, no point, an empty heatmap cell) with a "c" label, never drawn at its
true height, and the hover text carries exactly the labels it is given.

One project-wide template (`TEMPLATE`): the Okabe-Ito colour-blind-safe palette, large type for
a projector, white background, light grid, no Plotly toolbar clutter (set by the caller).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics.disclosure import SUPPRESSED
from analytics.measures.units import RATE, SHARE
from analytics.present.formats import fmt, heights

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TARGET_COLOUR = "#000000"
ENGLAND_COLOUR = "#999999"
SEQUENTIAL = [[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08306b"]]  # blues: one hue, safe
FONT = "Arial, Helvetica, sans-serif"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=17, color="#1a1a1a"),
        title=dict(font=dict(size=22, color="#1a1a1a"), x=0, xanchor="left", y=0.97, yanchor="top"),
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(
            showgrid=False,
            linecolor="#444",
            ticks="outside",
            tickfont=dict(size=16),
            title=dict(font=dict(size=16)),
        ),
        yaxis=dict(
            gridcolor="#e5e5e5",
            zeroline=True,
            zerolinecolor="#444",
            tickfont=dict(size=16),
            title=dict(font=dict(size=16)),
            rangemode="tozero",
        ),
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.0,
            xanchor="left",
            x=0,
            font=dict(size=16),
            title=dict(text=""),
        ),
        hoverlabel=dict(font=dict(size=16, family=FONT)),
        margin=dict(l=70, r=30, t=110, b=90),
        separators=".,",
    )
)
pio.templates["cla"] = TEMPLATE
HEIGHT = 460


def _layout(
    fig: go.Figure, title: str, footnote: str, height: int = HEIGHT, foot_width: int = 125, x_labels: int = 0
) -> go.Figure:
    """The shared finish: the title (the finding) at the top, the footnote (definition and
    source) at the very bottom, margins sized to the lines of each so nothing is cut;
    `x_labels` more pixels under the axis for slanted category labels."""
    title_text = _wrap(title, 95)
    title_lines = title_text.count("<br>") + 1
    foot_text = _wrap(footnote, foot_width) if footnote else ""
    foot_lines = foot_text.count("<br>") + 1 if foot_text else 0
    legend = bool(fig.layout.showlegend)
    top = 26 + 30 * title_lines + (44 if legend else 12)
    x_title = bool(fig.layout.xaxis.title.text)
    bottom = 45 + (30 if x_title else 0) + 19 * foot_lines + 10 + x_labels
    annotations = list(fig.layout.annotations or [])
    if foot_text:
        annotations.append(
            dict(
                text=foot_text,
                xref="paper",
                yref="paper",
                x=0,
                y=0,
                xanchor="left",
                yanchor="top",
                yshift=-(bottom - 19 * foot_lines - 12),
                showarrow=False,
                align="left",
                font=dict(size=13, color="#555"),
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        title=dict(
            text=title_text,
            yref="paper",
            y=1,
            yanchor="bottom",
            pad=dict(b=(52 if legend else 22) + 28 * (title_lines - 1)),
        ),
        height=height + top + bottom - 200,
        margin=dict(t=top, b=bottom, r=fig.layout.margin.r if fig.layout.margin.r is not None else 30),
        annotations=annotations,
        legend=dict(y=1.0, yanchor="bottom"),
    )
    return fig


def _wrap(text: str, width: int) -> str:
    """Break a long line at spaces with <br> (Plotly does not wrap titles)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def trend_line(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    labels: Sequence[str],
    title: str,
    footnote: str,
    y_title: str,
    hover: Sequence[str] | None = None,
    series: str | None = None,
    references: dict[str, dict] | None = None,
    percent: bool = False,
    x_labels: dict | None = None,
    label_points: str = "all",
) -> go.Figure:
    """A line over the years (one per `series` category): hidden points are gaps with a "c"
    label at the axis; `references` are dashed lines {name: {x: value}} (target, England).
    `label_points="last"` labels only each line's last shown point (several lines)."""
    fig = go.Figure()
    table = table.assign(
        _h=heights(table[y]).to_numpy(), _l=list(labels), _hv=list(hover if hover is not None else labels)
    )
    groups = [(None, table)] if series is None else list(table.groupby(series, sort=False))
    for i, (name, part) in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        text = list(part["_l"])
        if label_points == "last":
            shown = [k for k, h in enumerate(part["_h"]) if not pd.isna(h)]
            text = [t if k == (shown[-1] if shown else -1) else "" for k, t in enumerate(text)]
        text = ["" if t == SUPPRESSED else t for t in text]  # "c" is drawn at the axis below
        fig.add_trace(
            go.Scatter(
                x=part[x].tolist(),
                y=part["_h"].tolist(),
                name=str(name) if name is not None else y_title,
                mode="lines+markers+text",
                text=text,
                textposition="middle right" if label_points == "last" else "top center",
                textfont=dict(size=16, color=colour),
                line=dict(width=4, color=colour),
                marker=dict(size=10),
                connectgaps=False,
                hovertext=part["_hv"],
                cliponaxis=False,
                hovertemplate="%{hovertext}<extra>" + (str(name) if name is not None else "") + "</extra>",
                showlegend=series is not None,
            )
        )
        hidden = part[part["_h"].isna() & (part["_l"] == SUPPRESSED)]
        if len(hidden):
            fig.add_trace(
                go.Scatter(
                    x=hidden[x],
                    y=[0] * len(hidden),
                    mode="text",
                    text=[SUPPRESSED] * len(hidden),
                    textposition="top center",
                    textfont=dict(size=17, color=colour),
                    showlegend=False,
                    name=f"{name or y_title}: withheld",
                    hovertext=[SUPPRESSED] * len(hidden),
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    styles = {  # by the start of the line's name
        "Target": dict(dash="dash", color=TARGET_COLOUR),
        "England": dict(dash="dot", color=ENGLAND_COLOUR),
        "Region": dict(dash="dashdot", color=PALETTE[3]),
        "Neighbours": dict(dash="dot", color=PALETTE[5]),
    }
    for name, points in (references or {}).items():
        if not points:
            continue
        xs = sorted(points)
        style = next((v for k, v in styles.items() if name.startswith(k)), styles["England"])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[points[k] for k in xs],
                name=name,
                mode="lines" if len(xs) > 1 else "markers",
                line=dict(width=2.5, **style),
                marker=dict(size=11, color=style["color"], symbol="diamond"),
                hovertext=[fmt(points[k], SHARE if percent else RATE) for k in xs],
                hovertemplate="%{hovertext}<extra>" + name + "</extra>",
            )
        )
    if x_labels:
        keys = sorted(x_labels)
        step = 1 if len(keys) <= 12 else 2
        fig.update_xaxes(
            tickmode="array",
            tickvals=keys[::-1][::step][::-1],
            ticktext=[x_labels[k] for k in keys[::-1][::step][::-1]],
        )
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=y_title, ticksuffix="%" if percent else "")
    fig.update_layout(showlegend=bool(references) or series is not None)
    if label_points == "last":  # room on the right for the last value's label
        fig.update_layout(margin=dict(r=90))
    _headroom(fig, percent)
    return _layout(fig, title, footnote)


def _headroom(fig: go.Figure, percent: bool = False) -> None:
    """Room above the highest point for its label (a share's axis stops at 100%)."""
    tops = [
        v
        for t in fig.data
        for v in (list(t.y) if t.y is not None else [])
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    ]
    top = max(tops) * 1.18 + 1 if tops else 10
    fig.update_yaxes(range=[0, min(top, 112) if percent else top])
    if not percent and top <= 6:  # small counts: whole numbers on the axis
        fig.update_yaxes(range=[0, 6], dtick=1)


def bars(
    table: pd.DataFrame,
    *,
    category: str,
    value: str,
    labels: Sequence[str],
    title: str,
    footnote: str,
    value_title: str,
    colour_by: str | None = None,
    horizontal: bool = True,
    percent: bool = False,
    highlight: Sequence[str] = (),
    stacked: bool = False,
    colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """Bars per category (horizontal by default, the easiest to read on a screen); a hidden bar
    is a gap with a "c" label at the axis. `colour_by` groups bars side by side, or `stacked`
    one on another, each group in its colour of `colours` (else the palette's)."""
    fig = go.Figure()
    table = table.assign(_h=heights(table[value]).to_numpy(), _l=list(labels))
    groups = [(None, table)] if colour_by is None else list(table.groupby(colour_by, sort=False))
    for i, (name, part) in enumerate(groups):
        colour = (colours or {}).get(str(name), PALETTE[i % len(PALETTE)])
        each = [PALETTE[1] if str(c) in highlight else PALETTE[i % len(PALETTE)] for c in part[category]]
        lengths = part["_h"].fillna(0)  # a gap: zero length, labelled "c"
        common = dict(
            name=str(name) if name is not None else value_title,
            text=part["_l"],
            textposition="inside" if stacked else "outside",
            insidetextanchor="middle",
            textfont=dict(size=16),
            cliponaxis=False,
            marker=dict(color=each if colour_by is None else colour),
            hovertext=part["_l"],
            showlegend=colour_by is not None,
        )
        if horizontal:
            fig.add_trace(
                go.Bar(
                    y=part[category].astype(str),
                    x=lengths.tolist(),
                    orientation="h",
                    hovertemplate="%{y}: %{hovertext}<extra></extra>",
                    **common,
                )
            )
        else:
            fig.add_trace(
                go.Bar(
                    x=part[category].astype(str),
                    y=lengths.tolist(),
                    hovertemplate="%{x}: %{hovertext}<extra></extra>",
                    **common,
                )
            )
    lengths_of = [pd.Series(t.x if horizontal else t.y, dtype=float) for t in fig.data]
    if not fig.data:
        top = 0
    elif stacked:
        top = pd.concat(lengths_of, axis=1).sum(axis=1).max()
    else:
        top = pd.concat(lengths_of).max()
    top = 0 if pd.isna(top) else top
    axis = dict(title=value_title, ticksuffix="%" if percent else "", range=[0, top * 1.2 + 1])
    n = len(table[category].unique())
    if horizontal:
        fig.update_xaxes(**axis, showgrid=True, gridcolor="#e5e5e5")
        fig.update_yaxes(autorange="reversed", title=None, type="category", automargin=True)
        height = max(300, 140 + 46 * n * (1 if colour_by is None or stacked else len(groups) * 0.7))
    else:
        fig.update_yaxes(**axis)
        fig.update_xaxes(title=None, type="category")
        height = HEIGHT
    fig.update_layout(barmode="stack" if stacked else "group", bargap=0.25, showlegend=colour_by is not None)
    if stacked:  # a label too wide for its part of the bar is left off (the hover has it)
        fig.update_layout(uniformtext_minsize=14, uniformtext_mode="hide", legend_traceorder="normal")
    slanted = 0 if horizontal else max(0, max(len(str(c)) for c in table[category].unique()) * 6 - 20)
    if not horizontal and n > 8:
        fig.update_xaxes(tickangle=-45)
    else:
        slanted = 0
    return _layout(
        fig,
        title,
        footnote,
        height=int(min(height, 760)),
        foot_width=95 if horizontal else 125,
        x_labels=slanted,
    )


def heatmap(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    value: str,
    labels: Sequence[str],
    title: str,
    footnote: str,
    value_title: str,
) -> go.Figure:
    """A categories x years grid with the number in each cell; a hidden cell is blank and
    labelled "c". Reads well on a projector where a dozen lines would tangle."""
    table = table.assign(_h=heights(table[value]).to_numpy(), _l=list(labels))
    xs = list(dict.fromkeys(table[x]))
    ys = list(dict.fromkeys(table[y]))
    z = [[None] * len(xs) for _ in ys]
    text = [[""] * len(xs) for _ in ys]
    for row in table.to_dict("records"):
        i, j = ys.index(row[y]), xs.index(row[x])
        z[i][j] = None if pd.isna(row["_h"]) else float(row["_h"])
        text[i][j] = row["_l"]
    fig = go.Figure(
        go.Heatmap(
            x=[str(v) for v in xs],
            y=[str(v) for v in ys],
            z=z,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=15),
            colorscale=SEQUENTIAL,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertext=text,
            hovertemplate="%{y}, %{x}: %{hovertext}<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_xaxes(type="category", title=None, side="bottom", showgrid=False)
    fig.update_yaxes(
        type="category",
        autorange="reversed",
        title=None,
        showgrid=False,
        zeroline=False,
        rangemode="normal",
        automargin=True,
    )
    height = max(320, 170 + 44 * len(ys))
    fig.update_layout(plot_bgcolor="#f2f2f2")
    return _layout(fig, title, footnote, height=int(min(height, 760)))


def standing(
    table: pd.DataFrame,
    *,
    title: str,
    footnote: str,
    x_title: str,
    percent: bool,
    ours: float | None,
    ours_label: str,
    england: float | None = None,
) -> go.Figure:
    """Where we stand: every council's published value as a dot on one line (`table` columns
    council, value, group: "Every council" or "Neighbours"), the neighbours marked, our value a
    large diamond labelled `ours_label`, England a dotted line."""
    fig = go.Figure()
    styles = {
        "Every council": dict(size=11, color="rgba(120,120,120,0.45)", symbol="circle"),
        "Neighbours": dict(size=15, color=PALETTE[1], symbol="circle", line=dict(width=1, color="#444")),
    }
    for group, style in styles.items():
        part = table[table["group"] == group]
        if not len(part):
            continue
        # a steady vertical spread, so councils with the same value stay visible
        ys = [((i * 37) % 11 - 5) / 10 for i in range(len(part))]
        fig.add_trace(
            go.Scatter(
                x=part["value"].tolist(),
                y=ys if group == "Every council" else [0] * len(part),
                mode="markers",
                name=f"{group} ({len(part)})" if group == "Neighbours" else f"Every council ({len(part)})",
                marker=style,
                hovertext=[
                    f"{c}: {fmt(v, SHARE if percent else RATE)}"
                    for c, v in zip(part["council"], part["value"], strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    shapes = []
    if england is not None:
        shapes.append(
            dict(
                type="line",
                x0=england,
                x1=england,
                y0=-0.9,
                y1=0.9,
                line=dict(color=ENGLAND_COLOUR, dash="dot", width=2.5),
            )
        )
    fig.update_layout(shapes=shapes)
    if england is not None:
        fig.add_annotation(
            x=england,
            y=0.95,
            text=f"England {fmt(england, SHARE if percent else RATE)}",
            showarrow=False,
            yanchor="bottom",
            font=dict(size=15, color="#555"),
        )
    if ours is not None:
        fig.add_trace(
            go.Scatter(
                x=[ours],
                y=[0],
                mode="markers+text",
                name=ours_label,
                text=[ours_label],
                textposition="bottom center",
                textfont=dict(size=17, color=PALETTE[0]),
                marker=dict(size=24, color=PALETTE[0], symbol="diamond", line=dict(width=2, color="white")),
                hovertext=[ours_label],
                hovertemplate="%{hovertext}<extra></extra>",
                cliponaxis=False,
            )
        )
    fig.update_yaxes(visible=False, range=[-1.4, 1.3], rangemode="normal")
    fig.update_xaxes(
        title=x_title, ticksuffix="%" if percent else "", showgrid=True, gridcolor="#eee", zeroline=False
    )
    fig.update_layout(showlegend=True)
    return _layout(fig, title, footnote, height=330)
