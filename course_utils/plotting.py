"""The course's figure style: colour-blind-safe and readable.

Every figure in the course has a title, labelled axes with units and a
colour-blind-safe palette. The palette is Okabe & Ito's (2008), safe for
the common forms of colour blindness.

>>> len(OKABE_ITO)
8
>>> palette(3)
['#E69F00', '#56B4E9', '#009E73']

Contrast (WCAG 2.1): text needs 4.5:1 against its background, the parts of a figure one must see
3:1 (success criterion 1.4.11). Orange, sky blue and yellow are lighter than that on white, so the
course style outlines every bar, histogram bin and area in dark grey (``EDGE``, 12.6:1); for lines
and small markers prefer the darker colours (blue, vermillion, bluish green, black).

>>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
21.0
>>> [c for c in OKABE_ITO if contrast_ratio(c, "#FFFFFF") < 3]
['#E69F00', '#56B4E9', '#F0E442']
"""

from __future__ import annotations

# Yellow comes last: it is hard to see as small markers on a white background.
OKABE_ITO: list[str] = [
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
    "#F0E442",  # yellow
]


#: Outline of bars and areas: dark enough (12.6:1 on white) that light fills still show their edges.
EDGE = "#333333"


def _luminance(colour: str) -> float:
    """Relative luminance of a ``#RRGGBB`` colour (WCAG 2.1)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette(n: int) -> list[str]:
    """Return ``n`` colour-blind-safe colours (at most 8 distinct ones)."""
    if n < 1:
        raise ValueError(f"palette needs at least one colour, got n={n}")
    if n > len(OKABE_ITO):
        raise ValueError(
            f"only {len(OKABE_ITO)} colour-blind-safe colours exist; group the smallest "
            f"categories into 'other' instead of asking for {n}"
        )
    return OKABE_ITO[:n]


def use_course_style() -> None:
    """Apply the course style to matplotlib and seaborn (call once per notebook)."""
    import matplotlib as mpl
    import seaborn as sns
    from cycler import cycler

    sns.set_theme(context="notebook", style="whitegrid", palette=OKABE_ITO)
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.5),
            "figure.dpi": 100,
            "axes.titlesize": "large",
            "axes.titleweight": "bold",
            "axes.prop_cycle": cycler(color=OKABE_ITO),
            # Light fills (orange, sky blue, yellow) are below 3:1 on white: outline them.
            "patch.force_edgecolor": True,
            "patch.edgecolor": EDGE,
            "patch.linewidth": 0.6,
        }
    )


def show(fig: object, alt: str) -> object:
    """Display a matplotlib figure as a PNG with alternative text (for screen readers), then close it.

    Returns the ``IPython.display.Image`` shown; outside a notebook nothing is displayed.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> image = show(fig, "an empty chart")  # doctest: +ELLIPSIS
    <IPython.core.display.Image object>
    >>> image._repr_mimebundle_()[1]
    {'image/png': {'alt': 'an empty chart'}}
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    if not alt or not alt.strip():
        raise ValueError("give every figure alternative text: one sentence saying what it shows")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    image = Image(data=buffer.getvalue(), format="png", alt=alt)
    display(image)
    return image
