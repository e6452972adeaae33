"""The static HTML site of an index: ranking per year, one scorecard per company-year, and
the methodology, with charts. Needs the `report` extra (jinja2 and plotly)."""

from csrscore.report.extra import MissingExtraError, require_extra

require_extra()

from csrscore.report.site import Site, build  # noqa: E402

__all__ = ["MissingExtraError", "Site", "build"]
