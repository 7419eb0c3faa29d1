"""The visible signature of an agency, as Decree 30/2020/NĐ-CP Appendix I describes it: the seal
image (red, on a transparent background) over the left third, and beside it the agency's name and
the signing time, in Times New Roman (Liberation Serif has the same metrics), 10 pt, blue."""

from __future__ import annotations

import datetime as dt
import io
import logging
import textwrap
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

__all__ = ["MM", "VIETNAM", "default_box", "signing_time_text", "stamp_style", "stamp_text_params"]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4
FONT_PATH = settings.BASE_DIR / "static" / "fonts" / "LiberationSerif-Regular.ttf"
BLUE = (0.0, 0.0, 1.0)

# fontTools reports every subsetting step at INFO, which the portal's root logger prints: dozens of
# lines for each signature.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# The stamp's words are part of the document, written in Vietnamese as the decree has them; they
# are not portal interface text, so they are not translated.
STAMP_TEXT = "Cơ quan: %(agency)s\nThời gian ký: %(signed_at)s"


@cache
def _font_at_1000_upem() -> bytes:
    font = TTFont(str(FONT_PATH))
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _SerifFontFactory(GlyphAccumulatorFactory):
    """Liberation Serif scaled to 1000 units per em. pyHanko 0.38 writes the glyph widths (/W)
    in the font's own units, which PDF reads as thousandths of an em: with Liberation's 2048
    units every letter was drawn twice as far apart as it should be. At 1000 units the two agree."""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_at_1000_upem()),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


def signing_time_text(moment: dt.datetime) -> str:
    """'14:30:05 05/12/2026 +07:00': Vietnam time with its offset written out (ISO 8601)."""
    local = moment.astimezone(VIETNAM)
    offset = local.strftime("%z")
    return f"{local:%H:%M:%S %d/%m/%Y} {offset[:3]}:{offset[3:]}"


def stamp_text_params(agency_name: str, signed_at: dt.datetime) -> dict[str, str]:
    # The text box does not wrap; long names ("Sở Nông nghiệp và Môi trường tỉnh …") are broken
    # here so the text is not shrunk to an unreadable size.
    agency = "\n".join(textwrap.wrap(agency_name, width=34)) or agency_name
    return {"agency": agency, "signed_at": signing_time_text(signed_at)}


def stamp_style(seal_png: bytes | None) -> TextStampStyle:
    background = None
    if seal_png:
        image = Image.open(io.BytesIO(seal_png))
        image.load()
        background = PdfImage(image)
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        border_width=0,
        text_box_style=TextBoxStyle(
            font=_SerifFontFactory(str(FONT_PATH), font_size=10),
            font_size=10,
            text_color=BLUE,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=4, right=2, top=2, bottom=2),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        background=background,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        background_opacity=1.0,
    )


def default_box(page_width: float, page_height: float) -> tuple[int, int, int, int]:
    """Bottom right of the page, inside 20 mm margins: 75 × 25 mm."""
    right = page_width - 20 * MM
    bottom = 20 * MM
    return (round(right - 75 * MM), round(bottom), round(right), round(bottom + 25 * MM))
