"""Documents as PDF: a Django template rendered to HTML, laid out by WeasyPrint.

Letters and certificates go to the participant and are kept as sent, so they must not depend on anything
outside the template: WeasyPrint is given no base URL and a URL fetcher that refuses every fetch except
inline ``data:`` URIs (a name or a reason typed into a form can never make the server fetch a URL). The
fonts are a plain sans-serif stack of fonts installed on the machine; DejaVu Sans covers Norwegian letters
and the Arabic script, and right-to-left names are isolated with ``<bdi>`` in the templates.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

# One place for the letters' font stack, used by the templates through the context.
FONT_STACK = '"DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif'


def _url_fetcher():
    try:  # WeasyPrint 68 and later
        from weasyprint.urls import URLFetcher
    except ImportError:  # pragma: no cover - older WeasyPrint
        from weasyprint import default_url_fetcher

        def only_inline(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError("documents load nothing from outside")
            return default_url_fetcher(url, *args, **kwargs)

        return only_inline
    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` as a tagged PDF (PDF/UA-1: structure, language and title for screen readers)."""
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template (in the language that is active now) and return the PDF bytes."""
    return html_to_pdf(render_to_string(template_name, {"font_stack": FONT_STACK, **context}))
