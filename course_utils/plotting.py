"""The course's figure style: colour-blind-safe and readable.

Every figure in the course has a title, labelled axes with units and a
colour-blind-safe palette. The palette is Okabe & Ito's (2008), safe for
the common forms of colour blindness.

>>> len(OKABE_ITO)
8
>>> palette(3)
['#E69F00', '#56B4E9', '#009E73']
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

    sns.set_theme(context="notebook", style="whitegrid", palette=OKABE_ITO)
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.5),
            "figure.dpi": 100,
            "axes.titlesize": "large",
            "axes.titleweight": "bold",
            "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
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
