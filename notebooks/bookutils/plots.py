"""The book's figures: a colour-blind-safe style and a grid of images."""
from __future__ import annotations

import math
from typing import Sequence

# Okabe & Ito (2008): eight colours told apart by readers with any common
# colour-vision deficiency.
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73",
             "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
# Plot order: blue, orange, bluish green, vermillion, reddish purple, sky blue,
# yellow, black.
BOOK_COLORS = [OKABE_ITO[i] for i in (5, 1, 3, 6, 7, 2, 4, 0)]
RIGHT = "#0072B2"   # blue: a correct prediction
WRONG = "#D55E00"   # vermillion: a mistake


def _scalar(value):
    item = getattr(value, "item", None)
    return item() if callable(item) and getattr(value, "size", 1) == 1 else value


def use_book_style() -> None:
    """Matplotlib settings used by every figure: colour-blind-safe colours,
    a size that reads well on the site."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=BOOK_COLORS),
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "image.cmap": "gray_r",
        "font.size": 10,
    })


def show_images(images: Sequence, labels: Sequence | None = None,
                predictions: Sequence | None = None, *, ncols: int = 8,
                title: str | None = None, size: float = 1.0,
                cmap: str = "gray_r"):
    """Draw a grid of images with their labels.

    With ``predictions``, each title reads ``label→prediction`` and the
    mistakes are framed and titled in vermillion. Images may be (H, W) or
    (H, W, 1). Returns the figure.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3:
        raise ValueError(f"expected images of shape (N, H, W) or (N, H, W, 1), "
                         f"got {images.shape}")
    n = len(images)
    if n == 0:
        raise ValueError("no images to show")
    for name, seq in (("labels", labels), ("predictions", predictions)):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{n} images but {len(seq)} {name}")
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * size, nrows * size * 1.15),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if i >= n:
            ax.axis("off")
            continue
        ax.imshow(images[i], cmap=cmap)
        for spine in ax.spines.values():
            spine.set_visible(False)
        color = "black"
        text = ""
        if labels is not None:
            text = str(_scalar(labels[i]))
        if predictions is not None:
            predicted = _scalar(predictions[i])
            wrong = labels is not None and predicted != _scalar(labels[i])
            text = f"{text}→{predicted}" if text else str(predicted)
            color = WRONG if wrong else RIGHT
            if wrong:
                for spine in ax.spines.values():
                    spine.set_visible(True)
                    spine.set_color(WRONG)
                    spine.set_linewidth(2.5)
        ax.set_title(text, fontsize=9, color=color, pad=2)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig

